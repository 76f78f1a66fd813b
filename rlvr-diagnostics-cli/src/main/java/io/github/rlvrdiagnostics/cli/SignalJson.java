package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.SignalProfile;

/** The JSON form of a {@link SignalProfile}, the same in {@code triage} and the experiments' output. */
public final class SignalJson {
  private SignalJson() {}

  /** Writes the profile's fields into {@code node}. */
  public static void put(ObjectNode node, SignalProfile profile) {
    node.put("groupSize", profile.groupSize());
    node.put("prompts", profile.prompts());
    node.put("meanPassRate", profile.meanPassRate());
    node.put("predictedDegenerateFraction", profile.predictedDegenerateFraction());
    node.put("allPassFraction", profile.allPassFraction());
    node.put("allFailFraction", profile.allFailFraction());
    Output.put(node, "expectedSamplingCost", profile.expectedSamplingCost());
    Output.put(node, "expectedAdvantageVariance", profile.expectedAdvantageVariance());
    node.put("expectedAdvantageEnergy", profile.expectedAdvantageEnergy(false));
    Output.put(node, "degenerateFractionAtTwiceG", profile.degenerateFractionAtTwiceG());
  }
}
