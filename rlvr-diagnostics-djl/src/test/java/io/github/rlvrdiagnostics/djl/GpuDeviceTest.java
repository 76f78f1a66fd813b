package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import org.junit.jupiter.api.Test;

/**
 * On a machine with a GPU (set {@code RLVR_EXPECT_GPU=true}), the probes run on the GPU and agree
 * with the same logits on the CPU. Skipped, not passed, where no GPU is expected.
 */
class GpuDeviceTest {

  @Test
  void probesRunOnTheGpuAndAgreeWithTheCpu() {
    assumeTrue("true".equals(System.getenv("RLVR_EXPECT_GPU")), "no GPU expected on this machine");
    assertTrue(Engine.getInstance().getGpuCount() > 0, "the engine sees no GPU");
    try (NDManager gpu = NDManager.newBaseManager(Device.gpu());
        NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
      NDArray onCpu = cpu.randomNormal(0f, 3f, new Shape(8, 16, 151_936), ai.djl.ndarray.types.DataType.FLOAT32);
      NDArray onGpu = onCpu.toDevice(Device.gpu(), true);
      onGpu.attach(gpu);
      assertTrue(onGpu.getDevice().isGpu());
      for (SamplingConfig sampling : new SamplingConfig[] {
          SamplingConfig.ofTemperature(0.7), new SamplingConfig(1.0, 50, 0.9)}) {
        DjlEntropyProbe probe = DjlEntropyProbe.of(sampling);
        assertArrayEquals(probe.entropies(onCpu), probe.entropies(onGpu), 1e-5);
        NDArray mask = cpu.ones(new Shape(8, 16));
        assertArrayEquals(probe.maskedAggregate(onCpu, mask, Aggregation.MIN),
            probe.maskedAggregate(onGpu, mask, Aggregation.MIN), 1e-5);
      }
      System.out.println("GPU probe check on " + onGpu.getDevice() + " of " + Engine.getInstance().getGpuCount() + " GPU(s), engine "
          + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
    }
  }
}
