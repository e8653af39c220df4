using System;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>
    /// The hidden state of a stacked RNN between calls: h of shape [layers, batch, hidden], plus the cell state c of
    /// the same shape for LSTM (null otherwise).
    /// </summary>
    internal sealed class RecurrentState : IDisposable
    {
        public RecurrentState(Tensor hidden, Tensor cell)
        {
            Hidden = hidden;
            Cell = cell;
        }

        public Tensor Hidden { get; }
        public Tensor Cell { get; }

        public long BatchSize => Hidden.shape[1];

        /// <summary>The same values without autograd history: truncated BPTT must not backpropagate into earlier windows.</summary>
        public RecurrentState Detach() => new RecurrentState(Hidden.detach(), Cell?.detach());

        /// <summary>The state of the first <paramref name="rows"/> rows of the batch.</summary>
        public RecurrentState Take(long rows) => rows == BatchSize ? this : new RecurrentState(Hidden.narrow(1, 0, rows), Cell?.narrow(1, 0, rows));

        /// <summary>Keeps the tensors alive after the current dispose scope ends (the state is carried to the next window).</summary>
        public RecurrentState DetachFromDisposeScope()
        {
            Hidden.DetachFromDisposeScope();
            Cell?.DetachFromDisposeScope();
            return this;
        }

        public void Dispose()
        {
            Hidden.Dispose();
            Cell?.Dispose();
        }
    }
}
