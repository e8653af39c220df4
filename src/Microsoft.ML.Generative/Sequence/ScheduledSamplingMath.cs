using System;

namespace Microsoft.ML.Generative.Sequence
{
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
