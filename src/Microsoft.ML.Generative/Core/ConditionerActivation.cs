namespace Microsoft.ML.Generative
{
    /// <summary>The activation inside the scale/translation networks of a flow's couplings (<see cref="RealNvpOptions.Activation"/>, <see cref="RealNvpImageOptions.Activation"/>).</summary>
    public enum ConditionerActivation
    {
        /// <summary>max(0, x), as in the Real NVP paper's networks.</summary>
        Relu,
        /// <summary>Hyperbolic tangent: smooth, bounded.</summary>
        Tanh,
        /// <summary>x * sigmoid(x) (SiLU/swish): smooth, unbounded.</summary>
        Silu,
    }
}
