using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.PixelModels
{
    /// <summary>
    /// Gated PixelCNN (van den Oord et al. 2016, "Conditional Image Generation with PixelCNN Decoders"): a stack of
    /// <see cref="GatedPixelCnnLayer"/>s, the first reading the image with mask A, and an output head on the sum of the
    /// layers' skip outputs.
    /// </summary>
    /// <remarks>
    /// Sampling reuses rows: the vertical stack of row i depends on rows before i only, so it runs once per row; then
    /// each sub-pixel of the row needs only the horizontal stacks and the head on that one row (1 x W instead of H x W).
    /// </remarks>
    internal sealed class GatedPixelCnn : PixelNetwork
    {
        private readonly ModuleList<GatedPixelCnnLayer> layers;
        private readonly PixelOutputHead head;

        public GatedPixelCnn(PixelArchitecture architecture) : base(nameof(GatedPixelCnn), architecture)
        {
            var a = architecture;
            if (a.Kind != PixelArchitectureKind.GatedPixelCnn) throw new ArgumentException($"Expected a gated PixelCNN architecture, got {a.Kind}.", nameof(architecture));
            layers = new ModuleList<GatedPixelCnnLayer>(Enumerable.Range(0, a.Layers)
                .Select(l => new GatedPixelCnnLayer(l == 0, l == 0 ? a.Channels : a.FeatureMaps, a.FeatureMaps, a.KernelSize, a.Channels, a.Classes, KernelFallbacks))
                .ToArray());
            head = new PixelOutputHead(a.FeatureMaps, a.OutputFeatureMaps, a.Channels, a.Levels, KernelFallbacks);
            RegisterComponents();
        }

        protected override Tensor Forward(Tensor scaled, Tensor labels)
        {
            Tensor v = scaled, h = scaled, skips = null;
            foreach (var layer in layers)
            {
                var (verticalOutput, preActivation) = layer.Vertical(v, labels);
                var (horizontalOutput, skip) = layer.Horizontal(h, layer.Link(preActivation), labels);
                skips = skips is null ? skip : skips + skip;
                v = verticalOutput;
                h = horizontalOutput;
            }
            return head.call(skips);
        }

        public override PixelRowReader ReadRows(Tensor labels) => new RowReader(this, labels);

        /// <summary>Per row: the vertical stack once (its links into row i), then the horizontal stacks on row i alone.</summary>
        private sealed class RowReader : PixelRowReader
        {
            private readonly GatedPixelCnn _network;
            private readonly Tensor _labels;
            private Tensor[] _links;      // per layer, [batch, 2n, 1, W]: what row _preparedRow's horizontal stacks receive
            private int _preparedRow = -1;
            private int _finishedRows;

            public RowReader(GatedPixelCnn network, Tensor labels)
            {
                _network = network;
                _labels = labels;
            }

            public override Tensor RowLogits(Tensor levels, int row)
            {
                _network.CheckImages(levels, _network.Architecture.Height);
                _network.CheckLabels(_labels, levels.shape[0]);
                if (row != _finishedRows) throw new InvalidOperationException($"Rows must be read in order: row {row} after {_finishedRows} finished rows.");
                if (row != _preparedRow) Prepare(levels, row);
                var h = _network.Scale(levels.narrow(2, row, 1));
                Tensor skips = null;
                for (int l = 0; l < _links.Length; l++)
                {
                    var (output, skip) = _network.layers[l].Horizontal(h, _links[l], _labels);
                    skips = skips is null ? skip : skips + skip;
                    h = output;
                }
                return _network.head.call(skips).squeeze(3);
            }

            public override void EndRow(Tensor levels, int row)
            {
                if (row != _finishedRows) throw new InvalidOperationException($"Rows must end in order: row {row} after {_finishedRows} finished rows.");
                _finishedRows++; // nothing to keep: the next row's links are computed from the image when it is first read
            }

            /// <summary>The vertical stack over the image (rows before <paramref name="row"/> final), keeping each layer's link into the row.</summary>
            private void Prepare(Tensor levels, int row)
            {
                if (row < 0 || row >= _network.Architecture.Height) throw new ArgumentOutOfRangeException(nameof(row));
                ReleaseLinks();
                var links = new Tensor[_network.layers.Count];
                using (NewDisposeScope())
                {
                    var v = _network.Scale(levels);
                    for (int l = 0; l < links.Length; l++)
                    {
                        var (output, preActivation) = _network.layers[l].Vertical(v, _labels);
                        links[l] = _network.layers[l].Link(row == 0 ? zeros_like(preActivation.narrow(2, 0, 1)) : preActivation.narrow(2, row - 1, 1), shift: false)
                            .DetachFromDisposeScope();
                        v = output;
                    }
                }
                _links = links;
                _preparedRow = row;
            }

            private void ReleaseLinks()
            {
                if (_links is null) return;
                foreach (var t in _links) t.Dispose();
                _links = null;
            }

            public override void Dispose() => ReleaseLinks();
        }
    }
}
