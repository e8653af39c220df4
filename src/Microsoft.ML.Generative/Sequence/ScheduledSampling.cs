using System;

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

    /// <summary>The probability of feeding the model's own sample at a training step.</summary>
    internal static class ScheduledSamplingMath
    {
        public static double DefaultParameter(ScheduledSampling schedule) => schedule switch
        {
            ScheduledSampling.Linear => 10_000,
            ScheduledSampling.Exponential => 0.9995,
            ScheduledSampling.InverseSigmoid => 1_000,
            _ => 0,
        };

        public static bool IsValidParameter(ScheduledSampling schedule, double k) => schedule switch
        {
            ScheduledSampling.Linear => k > 0,
            ScheduledSampling.Exponential => k > 0 && k < 1,
            ScheduledSampling.InverseSigmoid => k >= 1,
            _ => true,
        };

        /// <summary>min(1 - ε_step, cap).</summary>
        public static double SamplingProbability(ScheduledSampling schedule, double k, long step, double cap)
        {
            double teacher = schedule switch
            {
                ScheduledSampling.Linear => Math.Max(0, 1 - step / k),
                ScheduledSampling.Exponential => Math.Pow(k, step),
                ScheduledSampling.InverseSigmoid => k / (k + Math.Exp(Math.Min(step / k, 700))),
                _ => 1,
            };
            return Math.Min(1 - teacher, cap);
        }
    }
}
