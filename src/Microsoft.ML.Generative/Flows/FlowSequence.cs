using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>A composition of flow layers: forward applies them in order, inverse in reverse order.</summary>
    internal sealed class FlowSequence : FlowLayer
    {
        private readonly TorchSharp.Modules.ModuleList<FlowLayer> _layers;

        /// <summary>Composes <paramref name="layers"/> (applied first to last in <see cref="Forward"/>).</summary>
        public FlowSequence(IEnumerable<FlowLayer> layers) : base(nameof(FlowSequence))
        {
            _layers = new TorchSharp.Modules.ModuleList<FlowLayer>(layers.ToArray());
            RegisterComponents();
        }

        /// <summary>The layers, in forward order.</summary>
        public IReadOnlyList<FlowLayer> Layers => _layers.ToList();

        /// <inheritdoc />
        public override (Tensor z, Tensor logDet) Forward(Tensor x)
        {
            var logDet = zeros(x.shape[0], dtype: x.dtype, device: x.device);
            foreach (var layer in _layers)
            {
                var (next, ld) = layer.Forward(x);
                x = next;
                logDet = logDet + ld;
            }
            return (x, logDet);
        }

        /// <inheritdoc />
        public override (Tensor x, Tensor logDet) Inverse(Tensor z)
        {
            var logDet = zeros(z.shape[0], dtype: z.dtype, device: z.device);
            for (int i = _layers.Count - 1; i >= 0; i--)
            {
                var (prev, ld) = _layers[i].Inverse(z);
                z = prev;
                logDet = logDet + ld;
            }
            return (z, logDet);
        }
    }
}
