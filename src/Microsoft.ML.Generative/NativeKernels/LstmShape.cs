using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.NativeKernels
{
    /// <summary>
    /// Everything the choice of libtorch's fused CPU LSTM kernels can depend on, for a unidirectional batch-first LSTM:
    /// sizes, batch, sequence length (up to <see cref="MaxCheckedSteps"/>), whether autograd is on (libtorch then runs
    /// oneDNN's forward-training primitive and its backward; without autograd a separate inference primitive), the
    /// inter-layer dropout in force (the module's training flag), dtype and intra-op thread count.
    /// </summary>
    /// <remarks>
    /// Sequences longer than <see cref="MaxCheckedSteps"/> share the check at that length: the check costs a float64 LSTM
    /// over the checked steps, and every step runs the same cell kernel. Shorter ones (one step at a time, in sampling and
    /// scheduled sampling) are checked at their own length.
    /// </remarks>
    internal readonly record struct LstmShape(int InputSize, int HiddenSize, int Layers, long Batch, long Steps,
        bool Gradients, double Dropout, ScalarType DType, int Threads)
    {
        /// <summary>Longest sequence checked (see the remarks).</summary>
        public const int MaxCheckedSteps = 4;

        /// <summary>
        /// The shape of an LSTM of <paramref name="layers"/> x <paramref name="hiddenSize"/> with <paramref name="dropout"/>
        /// between layers applied to <paramref name="input"/> [batch, time, features] now (autograd state, the module's
        /// <paramref name="training"/> flag and the thread count included).
        /// </summary>
        public static LstmShape Of(Tensor input, int hiddenSize, int layers, double dropout, bool training)
            => new((int)input.shape[2], hiddenSize, layers, input.shape[0], Math.Min(input.shape[1], MaxCheckedSteps),
                is_grad_enabled(), training && layers > 1 ? dropout : 0, input.dtype, get_num_threads());

        /// <summary>For messages.</summary>
        public override string ToString()
        {
            string steps = Steps < MaxCheckedSteps ? $"{Steps} time step(s)" : $"{Steps} or more time steps";
            string pass = Gradients ? "training (forward and backward kernels)" : "inference (no autograd)";
            string dropout = Dropout > 0 ? FormattableString.Invariant($", dropout {Dropout:0.####} between layers") : "";
            return $"LSTM input {InputSize}, hidden {HiddenSize}, {Layers} layer(s), batch {Batch}, {steps}, {pass}{dropout}, {DType}, {Threads} thread(s)";
        }
    }
}
