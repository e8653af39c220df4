using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>
    /// A multilayer perceptron used as the scale/translation network of a vector coupling layer. Its last layer is
    /// initialised to zero so that every coupling starts as the identity map (stable start of training).
    /// </summary>
    internal sealed class MlpConditioner : nn.Module<Tensor, Tensor>
    {
        private readonly ModuleList<Linear> layers;
        private readonly ConditionerActivation _activation;

        /// <summary>Creates an MLP input -> hidden x depth -> output.</summary>
        public MlpConditioner(int inputSize, int hiddenSize, int hiddenLayers, int outputSize, ConditionerActivation activation)
            : base(nameof(MlpConditioner))
        {
            _activation = activation;
            var list = new List<Linear>();
            int width = inputSize;
            for (int i = 0; i < hiddenLayers; i++)
            {
                list.Add(nn.Linear(width, hiddenSize));
                width = hiddenSize;
            }
            var last = nn.Linear(width, outputSize);
            using (no_grad())
            {
                last.weight.zero_();
                last.bias.zero_();
            }
            list.Add(last);
            layers = new ModuleList<Linear>(list.ToArray());
            RegisterComponents();
        }

        /// <summary>The linear layers, first to last.</summary>
        public IReadOnlyList<Linear> Layers => layers.ToArray();

        /// <inheritdoc />
        public override Tensor forward(Tensor x)
        {
            for (int i = 0; i < layers.Count - 1; i++)
                x = Activate(layers[i].call(x));
            return layers[layers.Count - 1].call(x);
        }

        private Tensor Activate(Tensor x) => _activation switch
        {
            ConditionerActivation.Tanh => x.tanh(),
            ConditionerActivation.Silu => nn.functional.silu(x),
            _ => nn.functional.relu(x),
        };
    }
}
