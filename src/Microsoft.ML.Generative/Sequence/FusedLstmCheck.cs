using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// Whether TorchSharp's fused LSTM kernel computes the right function on this CPU for a given shape. libtorch 2.10's
    /// CPU LSTM runs oneDNN's RNN primitive, and on some CPUs (measured: AMD EPYC family 26, "Zen 5") that primitive
    /// returns wrong outputs, with no error, for hidden sizes whose padding to a multiple of 32 leaves 16 or more unused
    /// lanes (1-16, 33-48, 65-80, ...). The check runs the fused module and <see cref="StepwiseLstm"/> in float64 on a tiny
    /// seeded input (training forward and backward, and inference), once per shape and process, and leaves the global generator as it was.
    /// </summary>
    internal static class FusedLstmCheck
    {
        private const double Tolerance = 1e-3; // relative; the failure it guards against is off by O(1)
        private static readonly ConcurrentDictionary<(int Input, int Hidden, int Layers), bool> Results = new();

        /// <summary>True if the fused kernel matches the float64 step-by-step reference for this shape (cached per process).</summary>
        public static bool FusedKernelIsCorrect(int inputSize, int hiddenSize, int layers)
            => Results.GetOrAdd((inputSize, hiddenSize, layers), key => Measure(key.Input, key.Hidden, key.Layers));

        private static bool Measure(int inputSize, int hiddenSize, int layers)
        {
            // Building a module draws its initial weights from the global generator; a host's random stream and a
            // seeded Fit must not notice this check ran.
            using var savedState = random.get_rng_state();
            try
            {
                using var scope = NewDisposeScope();
                using var lstm = nn.LSTM(inputSize, hiddenSize, layers, batchFirst: true);
                using var generator = new Generator(20261201, CPU);
                var parameters = new Dictionary<string, Tensor>();
                using (no_grad())
                    foreach (var (name, p) in lstm.named_parameters())
                    {
                        p.copy_((rand(p.shape, generator: generator) * 2 - 1) * (1.5 / Math.Sqrt(hiddenSize)));
                        parameters[name] = p.detach().to(ScalarType.Float64);
                    }
                const int batch = 3, time = 4;
                var x = randn(new long[] { batch, time, inputSize }, generator: generator);
                var h0 = randn(new long[] { layers, batch, hiddenSize }, generator: generator) * 0.5;
                var c0 = randn(new long[] { layers, batch, hiddenSize }, generator: generator) * 0.5;
                var weights = rand(new long[] { batch, time, hiddenSize }, generator: generator); // a loss that weighs every output

                lstm.train();
                var fusedInput = x.clone().requires_grad_(true);
                var (fusedOutput, fusedH, fusedC) = lstm.forward(fusedInput, (h0, c0));
                (fusedOutput * weights).sum().backward();

                var referenceInput = x.to(ScalarType.Float64).requires_grad_(true);
                var (referenceOutput, referenceH, referenceC) = StepwiseLstm.Forward(parameters, layers, 0, false, referenceInput,
                    h0.to(ScalarType.Float64), c0.to(ScalarType.Float64));
                (referenceOutput * weights.to(ScalarType.Float64)).sum().backward();

                // Scoring runs without autograd, where oneDNN picks its separate inference kernel: check that one too.
                lstm.eval();
                Tensor inferenceOutput, inferenceH, inferenceC;
                using (no_grad())
                    (inferenceOutput, inferenceH, inferenceC) = lstm.forward(x, (h0, c0));

                return Close(fusedOutput, referenceOutput) && Close(fusedH, referenceH) && Close(fusedC, referenceC)
                    && Close(fusedInput.grad, referenceInput.grad)
                    && Close(inferenceOutput, referenceOutput) && Close(inferenceH, referenceH) && Close(inferenceC, referenceC);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return false; // a kernel that throws on this shape is not one to rely on either
            }
            finally
            {
                random.set_rng_state(savedState);
            }
        }

        private static bool Close(Tensor actual, Tensor expected)
        {
            if (actual is null || expected is null) return false;
            var difference = (actual.detach().to(ScalarType.Float64) - expected.detach()).abs().max().item<double>();
            var size = Math.Max(1e-6, expected.detach().abs().max().item<double>());
            return difference <= Tolerance * size; // NaN compares false
        }
    }
}
