using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Generative.NativeKernels;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// Whether TorchSharp's fused LSTM kernel computes the right function on this CPU for an <see cref="LstmShape"/>.
    /// libtorch 2.10's CPU LSTM runs oneDNN's RNN primitives, and on some CPUs (measured: AMD EPYC family 26, "Zen 5")
    /// they return wrong outputs, with no error, for hidden sizes whose padding to a multiple of 32 leaves 16 or more
    /// unused lanes (1-16, 33-48, 65-80, ...). Once per shape and process (<see cref="KernelCheck{TShape}"/>), the check
    /// runs the network's own module on seeded random inputs of that shape and compares it with
    /// <see cref="StepwiseLstm"/> in float64 from the same parameters: outputs and final states, and with autograd the
    /// gradients of the input, the initial states and every weight and bias.
    /// </summary>
    /// <remarks>
    /// <para>Dropout between layers is compared like with like. The fused module draws its masks from the global
    /// generator, one per layer but the last, each the shape of that layer's time-major output [time, batch, hidden] in
    /// float32, in layer order, and nothing else (ATen's mkldnn_rnn calls dropout between the per-layer primitives;
    /// LstmKernelCheckTests measures it). So the check saves the global generator's state, runs the module, rewinds the
    /// generator and draws the same masks for the reference, then restores the saved state: the global stream is left
    /// exactly as it was. Only a check with dropout touches the global generator, and only while it runs, which happens
    /// inside a training step (the one thread drawing from a seeded generator then). Without dropout it is never touched.</para>
    /// <para>The check runs the module it guards rather than building one (building draws initial weights from the global
    /// generator), and takes gradients with <c>autograd.grad</c>, so the parameters' accumulated gradients are untouched.</para>
    /// </remarks>
    internal static class FusedLstmCheck
    {
        private const ulong Seed = 20261201;

        /// <summary>The results for the fused kernel.</summary>
        public static readonly KernelCheck<LstmShape> Fused = new("fused LSTM (oneDNN)");

        /// <summary>What computes a shape whose fused kernel failed, for warnings.</summary>
        public const string FallbackDescription = "a step-by-step LSTM in float32 (StepwiseLstm, same dropout masks)";

        /// <summary>True if <paramref name="lstm"/>'s fused kernel is right for <paramref name="shape"/> (measured on <paramref name="lstm"/> the first time, then cached).</summary>
        public static bool IsCorrect(LSTM lstm, LstmShape shape) => Fused.IsCorrect(shape, s => Agrees(lstm, s));

        /// <summary>
        /// Measures: runs <paramref name="lstm"/> (batch-first, in its current training mode, which must match
        /// <paramref name="shape"/>.Dropout) and the float64 reference. Never throws (but for out-of-memory): a kernel that
        /// throws is not one to rely on.
        /// </summary>
        internal static bool Agrees(LSTM lstm, LstmShape shape)
        {
            try
            {
                using var scope = NewDisposeScope();
                using var generator = new Generator(Seed, CPU);
                var dtype = shape.DType;
                var x = randn(new[] { shape.Batch, shape.Steps, shape.InputSize }, dtype: dtype, generator: generator);
                var h0 = randn(new[] { (long)shape.Layers, shape.Batch, shape.HiddenSize }, dtype: dtype, generator: generator) * 0.5;
                var c0 = randn(new[] { (long)shape.Layers, shape.Batch, shape.HiddenSize }, dtype: dtype, generator: generator) * 0.5;
                var parameters = lstm.named_parameters().Where(p => p.parameter.requires_grad || !shape.Gradients)
                    .Select(p => (p.name, tensor: (Tensor)p.parameter)).ToList();

                Pass fused;
                Tensor[] masks = null;
                var savedState = shape.Dropout > 0 ? random.get_rng_state() : null;
                try
                {
                    fused = Run((input, h, c) => lstm.forward(input, (h, c)), shape, x, h0, c0, parameters.Select(p => p.tensor), generator, upstream: null);
                    if (savedState is not null)
                    {
                        random.set_rng_state(savedState);
                        masks = DropoutMasks(shape);
                    }
                }
                finally
                {
                    if (savedState is not null) random.set_rng_state(savedState);
                }

                // The reference: float64 copies of every parameter (leaves with gradients where the module's are checked).
                var reference = lstm.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().to(ScalarType.Float64));
                var differentiated = parameters.Select(p => reference[p.name].requires_grad_(shape.Gradients)).ToList();
                Func<int, Tensor, Tensor> dropout = masks is null ? null : (layer, output) => output * masks[layer].to(ScalarType.Float64);
                var expected = Run((input, h, c) => StepwiseLstm.Forward(reference, shape.Layers, input, h, c, dropout), shape,
                    x.to(ScalarType.Float64), h0.to(ScalarType.Float64), c0.to(ScalarType.Float64), differentiated, generator,
                    fused.Upstream?.Select(u => u.to(ScalarType.Float64)).ToArray());

                for (int i = 0; i < fused.Values.Length; i++)
                    if (!KernelAgreement.Agrees(fused.Values[i], expected.Values[i])) return false;
                return true;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return false;
            }
        }

        /// <summary>
        /// The inter-layer dropout masks the fused module draws from the global generator's current state for
        /// <paramref name="shape"/>: <c>dropout</c> of ones shaped like each time-major layer output, in float32, layer by layer.
        /// </summary>
        internal static Tensor[] DropoutMasks(LstmShape shape)
        {
            var masks = new Tensor[shape.Layers - 1];
            for (int l = 0; l < masks.Length; l++)
                masks[l] = nn.functional.dropout(ones(new[] { shape.Steps, shape.Batch, shape.HiddenSize }, dtype: shape.DType), shape.Dropout, training: true);
            return masks;
        }

        /// <summary>
        /// One pass: output, final h and c, and with autograd the gradients of x, h0, c0 and <paramref name="parameters"/>
        /// for a loss that weighs every output and final state by <paramref name="upstream"/> (drawn when null).
        /// </summary>
        private static Pass Run(Func<Tensor, Tensor, Tensor, (Tensor, Tensor, Tensor)> lstm, LstmShape shape, Tensor x, Tensor h0, Tensor c0,
            IEnumerable<Tensor> parameters, Generator generator, Tensor[] upstream)
        {
            if (!shape.Gradients)
            {
                using (no_grad())
                {
                    var (o, h, c) = lstm(x, h0, c0);
                    return new Pass(new[] { o, h, c }, null);
                }
            }
            using (enable_grad())
            {
                var inputs = new List<Tensor> { x.detach().requires_grad_(true), h0.detach().requires_grad_(true), c0.detach().requires_grad_(true) };
                inputs.AddRange(parameters);
                var (output, hidden, cell) = lstm(inputs[0], inputs[1], inputs[2]);
                upstream ??= new[] { output, hidden, cell }.Select(t => randn(t.shape, dtype: t.dtype, generator: generator)).ToArray();
                var gradients = autograd.grad(new[] { output, hidden, cell }, inputs, upstream);
                return new Pass(new[] { output.detach(), hidden.detach(), cell.detach() }.Concat(gradients).ToArray(), upstream);
            }
        }

        /// <summary>The compared results of one pass, and the upstream gradients it used (null without autograd).</summary>
        private sealed record Pass(Tensor[] Values, Tensor[] Upstream);
    }
}
