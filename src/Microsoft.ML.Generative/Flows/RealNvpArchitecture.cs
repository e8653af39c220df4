using System;

namespace Microsoft.ML.Generative.Flows
{
    /// <summary>Everything needed to rebuild a vector Real NVP network before its weights are loaded.</summary>
    internal sealed record RealNvpArchitecture
    {
        /// <summary>Number of features (the vector size).</summary>
        public int Features { get; init; }
        /// <summary>Number of affine coupling layers.</summary>
        public int Couplings { get; init; } = 8;
        /// <summary>Width of the hidden layers of each scale/translation network.</summary>
        public int HiddenSize { get; init; } = 64;
        /// <summary>Number of hidden layers of each scale/translation network.</summary>
        public int HiddenLayers { get; init; } = 2;
        /// <summary>Activation of the scale/translation networks.</summary>
        public ConditionerActivation Activation { get; init; } = ConditionerActivation.Relu;
        /// <summary>Bound each coupling's log-scale with a learned-scale tanh.</summary>
        public bool BoundLogScale { get; init; } = true;
        /// <summary>Normalisation layer after each coupling.</summary>
        public FlowNormalization Normalization { get; init; } = FlowNormalization.ActNorm;

        /// <summary>Throws if a value is out of range.</summary>
        public void Validate()
        {
            if (Features < 1) throw new ArgumentOutOfRangeException(nameof(Features), Features, "must be >= 1.");
            if (Couplings < 1) throw new ArgumentOutOfRangeException(nameof(Couplings), Couplings, "must be >= 1.");
            if (HiddenSize < 1) throw new ArgumentOutOfRangeException(nameof(HiddenSize), HiddenSize, "must be >= 1.");
            if (HiddenLayers < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers, "must be >= 1.");
            if (!Enum.IsDefined(Activation)) throw new ArgumentOutOfRangeException(nameof(Activation));
            if (!Enum.IsDefined(Normalization)) throw new ArgumentOutOfRangeException(nameof(Normalization));
        }
    }
}
