namespace Microsoft.ML.Generative.Flows
{
    /// <summary>Normalisation layer placed after every coupling of a vector Real NVP.</summary>
    public enum FlowNormalization
    {
        /// <summary>No normalisation layer.</summary>
        None,
        /// <summary>Activation normalisation: data-initialised affine, identical in training and scoring.</summary>
        ActNorm,
        /// <summary>Batch normalisation as in the Real NVP paper: batch statistics in training, running averages after.</summary>
        BatchNorm,
    }
}
