namespace Microsoft.ML.Generative
{
    /// <summary>The normalisation layer a flow places after every coupling (<see cref="RealNvpOptions.Normalization"/>, <see cref="RealNvpImageOptions.Normalization"/>).</summary>
    public enum FlowNormalization
    {
        /// <summary>No normalisation layer.</summary>
        None,
        /// <summary>Activation normalisation (Glow): an affine map per feature (per channel for images), initialised from the first training batch, identical in training and scoring.</summary>
        ActNorm,
        /// <summary>Batch normalisation as in the Real NVP paper: batch statistics in training, the saved running averages when scoring.</summary>
        BatchNorm,
    }
}
