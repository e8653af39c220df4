using System;
using Microsoft.ML.Generative.NativeKernels;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// One Row LSTM layer (van den Oord et al. 2016, "Pixel Recurrent Neural Networks", section 3.1): an LSTM that
    /// steps from row to row, all pixels of a row at once. Its gates at (i, j) add an input-to-state convolution of row i
    /// (columns j - 1 and j, mask B) and a state-to-state convolution of the previous row's hidden state (columns
    /// j - 1 .. j + 1). The output is the input plus a 1x1 convolution (mask B) of the hidden state: a residual connection.
    /// </summary>
    /// <remarks>
    /// The input-to-state part has no recurrence, so it is computed for all rows in one convolution; only the
    /// state-to-state part runs row by row (H steps). Causality: the state at row i - 1 depends on rows before i only, so
    /// the state-to-state convolution may read all its columns and channels; the input-to-state convolution reads the
    /// current row up to the current pixel, whose sub-pixels are masked by colour group. The gates of unit u share u's
    /// colour group, and the update is elementwise per unit, so the groups stay apart. The receptive field is the
    /// triangle above the pixel (the paper's figure 4), not the whole context.
    /// </remarks>
    internal sealed class RowLstmLayer : nn.Module
    {
        private readonly MaskedConvolution inputToState;
        private readonly MaskedConvolution stateToState;
        private readonly MaskedConvolution output;
        private readonly Embedding label;   // null without classes
        private readonly int _units;

        public RowLstmLayer(int units, int groups, int classes, KernelFallbackLog kernelFallbacks) : base(nameof(RowLstmLayer))
        {
            _units = units;
            int gates = 4 * units;
            inputToState = new MaskedConvolution(units, gates, 1, 2, 0, 1,
                PixelMasks.Raster(gates, units, 1, 2, 0, 1, PixelMaskType.B, groups, units, units), kernelFallbacks);
            stateToState = new MaskedConvolution(units, gates, 1, 3, 0, 1, null, kernelFallbacks);
            output = new MaskedConvolution(units, units, 1, 1, 0, 0,
                PixelMasks.Raster(units, units, 1, 1, 0, 0, PixelMaskType.B, groups, units, units), kernelFallbacks);
            if (classes > 0)
            {
                label = nn.Embedding(classes, gates);
                using (no_grad()) label.weight.zero_();
            }
            RegisterComponents();
        }

        /// <summary>The input-to-state gate contributions [batch, 4n, rows, W] of the rows of <paramref name="x"/> (plus the class bias).</summary>
        public Tensor InputToState(Tensor x, Tensor labels)
        {
            var gates = inputToState.call(x);
            if (label is null) return gates;
            if (labels is null) throw new ArgumentException("This layer is class-conditional: labels are required.", nameof(labels));
            return gates + label.call(labels).unsqueeze(2).unsqueeze(3);
        }

        /// <summary>One row: the new hidden and cell states [batch, n, 1, W] from the row's input gates and the previous row's states (null: zeros).</summary>
        public (Tensor hidden, Tensor cell) Step(Tensor inputGates, Tensor hidden, Tensor cell)
        {
            var gates = hidden is null ? inputGates + stateToState.call(zeros(inputGates.shape[0], _units, 1, inputGates.shape[3], dtype: inputGates.dtype, device: inputGates.device))
                : inputGates + stateToState.call(hidden);
            var parts = gates.split(_units, 1); // input, forget, output, candidate: each [batch, n, 1, W]
            var candidate = parts[0].sigmoid() * parts[3].tanh();
            var c = cell is null ? candidate : parts[1].sigmoid() * cell + candidate;
            return (parts[2].sigmoid() * c.tanh(), c);
        }

        /// <summary>The layer's output for the rows of <paramref name="x"/> given their hidden states: x + conv1x1(h).</summary>
        public Tensor Output(Tensor x, Tensor hidden) => x + output.call(hidden);

        /// <summary>The whole layer on all rows of <paramref name="x"/> [batch, n, H, W].</summary>
        public Tensor Forward(Tensor x, Tensor labels)
        {
            var gates = InputToState(x, labels);
            long rows = x.shape[2];
            var hiddenRows = new Tensor[rows];
            Tensor h = null, c = null;
            for (long i = 0; i < rows; i++)
            {
                (h, c) = Step(gates.narrow(2, i, 1), h, c);
                hiddenRows[i] = h;
            }
            return Output(x, cat(hiddenRows, 2));
        }
    }
}
