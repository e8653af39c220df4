namespace Microsoft.ML.Generative
{
    /// <summary>
    /// How often training feeds the model its own prediction instead of the true previous character (scheduled
    /// sampling, Bengio et al. 2015). With teacher forcing ε = 1 always; otherwise the probability ε of feeding the true
    /// character decays with the training step i, and each input is the model's sample with probability
    /// min(1 - ε_i, <see cref="CharRnnOptions.MaxSamplingProbability"/>).
    /// </summary>
    public enum ScheduledSampling
    {
        /// <summary>Always feed the true previous character (ε = 1). The default, and the fastest (one fused call per window).</summary>
        TeacherForcing,
        /// <summary>ε_i = max(0, 1 - i / k): reaches the cap after k steps (<see cref="CharRnnOptions.SamplingScheduleParameter"/>, default 10,000).</summary>
        Linear,
        /// <summary>ε_i = k^i with k &lt; 1 (<see cref="CharRnnOptions.SamplingScheduleParameter"/>, default 0.9995).</summary>
        Exponential,
        /// <summary>ε_i = k / (k + exp(i / k)) with k &gt;= 1 (<see cref="CharRnnOptions.SamplingScheduleParameter"/>, default 1,000).</summary>
        InverseSigmoid,
    }
}
