using System;
using Microsoft.ML.Generative.Flows;
using Microsoft.ML.Generative.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>Everything a trained Real NVP transformer holds: the network and what ML.NET needs around it.</summary>
    internal sealed class RealNvpModel : IDisposable
    {
        public RealNvpModel(RealNvpNetwork network, string featureColumnName, float threshold, float anomalyFalsePositiveRate,
            int scoringBatchSize, TrainingSummary trainingSummary, Device device)
        {
            Network = network;
            FeatureColumnName = featureColumnName;
            Threshold = threshold;
            AnomalyFalsePositiveRate = anomalyFalsePositiveRate;
            ScoringBatchSize = scoringBatchSize;
            TrainingSummary = trainingSummary;
            Device = device;
            Network.eval();
        }

        public RealNvpNetwork Network { get; }
        public string FeatureColumnName { get; }
        public int Features => Network.Architecture.Features;
        public float Threshold { get; }
        public float AnomalyFalsePositiveRate { get; }
        public int ScoringBatchSize { get; }
        public TrainingSummary TrainingSummary { get; }
        public Device Device { get; }

        public void Dispose() => Network.Dispose();
    }
}
