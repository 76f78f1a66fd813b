package io.github.rlvrdiagnostics.core.rollout;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * Self-BLEU's n-gram table gives exactly the BLEU of the plain definition (an n-gram map per
 * reference, clipped by the largest reference count), and the sampled value is exact below its
 * budget, a mean of exact per-hypothesis values above it, and independent of the input order.
 */
class SelfBleuProperties {

  /** The plain definition: NLTK's sentence_bleu with smoothing method 1, one map per reference. */
  private static double plainBleu(int[] hypothesis, List<int[]> references) {
    int orders = Math.min(4, hypothesis.length);
    double logPrecision = 0;
    for (int n = 1; n <= orders; n++) {
      Map<List<Integer>, Integer> hyp = ngrams(hypothesis, n);
      Map<List<Integer>, Integer> maxRef = new HashMap<>();
      for (int[] ref : references) {
        ngrams(ref, n).forEach((gram, count) -> maxRef.merge(gram, count, Math::max));
      }
      int matched = 0;
      int total = 0;
      for (Map.Entry<List<Integer>, Integer> e : hyp.entrySet()) {
        matched += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
        total += e.getValue();
      }
      double precision = matched == 0 ? 0.1 / total : (double) matched / total;
      logPrecision += Math.log(precision) / orders;
    }
    int closest = references.get(0).length;
    for (int[] ref : references) {
      int d = Math.abs(ref.length - hypothesis.length);
      int best = Math.abs(closest - hypothesis.length);
      if (d < best || (d == best && ref.length < closest)) {
        closest = ref.length;
      }
    }
    double brevity = hypothesis.length >= closest ? 1.0 : Math.exp(1.0 - (double) closest / hypothesis.length);
    return brevity * Math.exp(logPrecision);
  }

  private static Map<List<Integer>, Integer> ngrams(int[] tokens, int n) {
    Map<List<Integer>, Integer> counts = new HashMap<>();
    for (int i = 0; i + n <= tokens.length; i++) {
      List<Integer> gram = new ArrayList<>(n);
      for (int j = i; j < i + n; j++) {
        gram.add(tokens[j]);
      }
      counts.merge(gram, 1, Integer::sum);
    }
    return counts;
  }

  private static List<int[]> sequences(long seed, int count, int vocabulary, int maxLength) {
    Random random = new Random(seed);
    List<int[]> sequences = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int[] s = new int[1 + random.nextInt(maxLength)];
      for (int j = 0; j < s.length; j++) {
        s[j] = random.nextInt(vocabulary) - vocabulary / 2;
      }
      sequences.add(s);
    }
    return sequences;
  }

  private static SelfBleu of(List<int[]> sequences) {
    SelfBleu bleu = SelfBleu.empty();
    sequences.forEach(bleu::accept);
    return bleu;
  }

  @Test
  void theNGramTableGivesThePlainDefinitionExactly() {
    qt().forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(2, 9), Generate.range(1, 40))
        .checkAssert((seed, count, vocabulary) -> {
          List<int[]> all = sequences(seed, count, vocabulary, 14);
          for (int i = 0; i < all.size(); i++) {
            List<int[]> references = new ArrayList<>(all);
            int[] hypothesis = references.remove(i);
            assertEquals(plainBleu(hypothesis, references), SelfBleu.bleu(hypothesis, references), 0.0);
          }
        });
  }

  @Test
  void sampledIsExactWithinItsBudgetAndAMeanOfExactValuesAbove() {
    qt().forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(2, 12), Generate.longRange(1, 200))
        .checkAssert((seed, count, pairs) -> {
          List<int[]> all = sequences(seed, count, 6, 8);
          SelfBleu bleu = of(all);
          double sampled = bleu.sampledValue(pairs, seed).getAsDouble();
          if ((long) count * (count - 1) <= pairs) {
            assertEquals(bleu.value().getAsDouble(), sampled, 0.0);
            return;
          }
          int k = (int) Math.max(1, pairs / (count - 1));
          List<Double> each = new ArrayList<>();
          for (int i = 0; i < all.size(); i++) {
            List<int[]> references = new ArrayList<>(all);
            each.add(plainBleu(references.remove(i), references));
          }
          Collections.sort(each);
          double low = 0;
          double high = 0;
          for (int i = 0; i < k; i++) {
            low += each.get(i);
            high += each.get(each.size() - 1 - i);
          }
          assertTrue(sampled >= low / k - 1e-12 && sampled <= high / k + 1e-12, sampled + " outside the means of "
              + k + " of " + each);
          // The draw follows the contents and the seed, not the order of acceptance.
          List<int[]> shuffled = new ArrayList<>(all);
          Collections.shuffle(shuffled, new Random(seed + 1));
          assertEquals(sampled, of(shuffled).sampledValue(pairs, seed).getAsDouble(), 1e-12);
        });
  }

  @Test
  void aBudgetBelowOnePairIsRefused() {
    SelfBleu bleu = of(sequences(1, 3, 5, 5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bleu.sampledValue(0, 1));
    assertEquals("maxPairs must be >= 1, was 0", e.getMessage());
    assertTrue(SelfBleu.empty().accept(new int[] {1}).sampledValue(5, 1).isEmpty());
  }
}
