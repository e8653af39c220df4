namespace Samples.Tabular
{
    /// <summary>The Real NVP output columns a PredictionEngine fills in (the Latent vector is left out).</summary>
    public sealed class FlowPrediction
    {
        /// <summary>-log p(x): higher = more anomalous.</summary>
        public float Score { get; set; }
        public float LogLikelihood { get; set; }
        /// <summary>Score above the model's threshold.</summary>
        public bool PredictedLabel { get; set; }
    }
}
