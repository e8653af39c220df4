using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// Row LSTM (van den Oord et al. 2016, "Pixel Recurrent Neural Networks"): a first masked convolution (mask A,
    /// (k/2 + 1) x k: the rows above within k/2 and the current row to the left), <see cref="RowLstmLayer"/>s with
    /// residual connections, and the output head.
    /// </summary>
    /// <remarks>
    /// Sampling keeps each layer's hidden and cell states of the last finished row, so a sub-pixel of row i needs only
    /// the first convolution on the k/2 + 1 rows ending at i and one LSTM step per layer on row i.
    /// </remarks>
    internal sealed class RowLstm : PixelNetwork
    {
        private readonly MaskedConvolution input;
        private readonly ModuleList<RowLstmLayer> layers;
        private readonly PixelOutputHead head;

        public RowLstm(PixelArchitecture architecture) : base(nameof(RowLstm), architecture)
        {
            var a = architecture;
            if (a.Kind != PixelArchitectureKind.RowLstm) throw new ArgumentException($"Expected a Row LSTM architecture, got {a.Kind}.", nameof(architecture));
            int half = a.KernelSize / 2;
            input = new MaskedConvolution(a.Channels, a.FeatureMaps, half + 1, a.KernelSize, half, half,
                PixelMasks.Raster(a.FeatureMaps, a.Channels, half + 1, a.KernelSize, half, half, PixelMaskType.A, a.Channels, a.FeatureMaps, a.Channels),
                KernelFallbacks);
            layers = new ModuleList<RowLstmLayer>(Enumerable.Range(0, a.Layers)
                .Select(_ => new RowLstmLayer(a.FeatureMaps, a.Channels, a.Classes, KernelFallbacks)).ToArray());
            head = new PixelOutputHead(a.FeatureMaps, a.OutputFeatureMaps, a.Channels, a.Levels, KernelFallbacks);
            RegisterComponents();
        }

        protected override Tensor Forward(Tensor scaled, Tensor labels)
        {
            var x = input.call(scaled);
            foreach (var layer in layers)
                x = layer.Forward(x, labels);
            return head.call(x);
        }

        public override PixelRowReader ReadRows(Tensor labels) => new RowReader(this, labels);

        /// <summary>Keeps every layer's states after the last finished row; a row is one step per layer.</summary>
        private sealed class RowReader : PixelRowReader
        {
            private readonly RowLstm _network;
            private readonly Tensor _labels;
            private readonly Tensor[] _hidden;
            private readonly Tensor[] _cell;
            private int _finishedRows;

            public RowReader(RowLstm network, Tensor labels)
            {
                _network = network;
                _labels = labels;
                _hidden = new Tensor[network.layers.Count];
                _cell = new Tensor[network.layers.Count];
            }

            public override Tensor RowLogits(Tensor levels, int row)
            {
                var (logits, _, _) = Row(levels, row);
                return logits;
            }

            public override void EndRow(Tensor levels, int row)
            {
                using (NewDisposeScope())
                {
                    var (_, hidden, cell) = Row(levels, row);
                    for (int l = 0; l < hidden.Length; l++)
                    {
                        _hidden[l]?.Dispose();
                        _cell[l]?.Dispose();
                        _hidden[l] = hidden[l].DetachFromDisposeScope();
                        _cell[l] = cell[l].DetachFromDisposeScope();
                    }
                }
                _finishedRows++;
            }

            private (Tensor logits, Tensor[] hidden, Tensor[] cell) Row(Tensor levels, int row)
            {
                var a = _network.Architecture;
                _network.CheckImages(levels, a.Height);
                _network.CheckLabels(_labels, levels.shape[0]);
                if (row != _finishedRows) throw new InvalidOperationException($"Rows must be read in order: row {row} after {_finishedRows} finished rows.");
                int first = Math.Max(0, row - a.KernelSize / 2);
                // The first convolution's output at the window's last row reads only the window (and zeros above row 0).
                var window = _network.Scale(levels.narrow(2, first, row - first + 1));
                var x = _network.input.call(window).narrow(2, row - first, 1);
                var hidden = new Tensor[_hidden.Length];
                var cell = new Tensor[_hidden.Length];
                for (int l = 0; l < hidden.Length; l++)
                {
                    var layer = _network.layers[l];
                    (hidden[l], cell[l]) = layer.Step(layer.InputToState(x, _labels), _hidden[l], _cell[l]);
                    x = layer.Output(x, hidden[l]);
                }
                return (_network.head.call(x).squeeze(3), hidden, cell);
            }

            public override void Dispose()
            {
                for (int l = 0; l < _hidden.Length; l++)
                {
                    _hidden[l]?.Dispose();
                    _cell[l]?.Dispose();
                }
            }
        }
    }
}
