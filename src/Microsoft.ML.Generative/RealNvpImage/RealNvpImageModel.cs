using System;
using Microsoft.ML.Generative.Data;
using Microsoft.ML.Generative.Flows.Image;
using Microsoft.ML.Generative.Training;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>Everything a trained image Real NVP transformer holds: the network and what ML.NET needs around it.</summary>
    internal sealed class RealNvpImageModel : IDisposable
    {
        public RealNvpImageModel(RealNvpImageNetwork network, string featureColumnName, int inputLevels, int scoringBatchSize,
            TrainingSummary trainingSummary, Device device, TypicalityReference typicality)
        {
            Network = network;
            FeatureColumnName = featureColumnName;
            Pixels = new PixelLevels(inputLevels, network.Levels);
            ScoringBatchSize = scoringBatchSize;
            TrainingSummary = trainingSummary;
            Device = device;
            Typicality = typicality;
            Network.eval();
        }

        public RealNvpImageNetwork Network { get; }
        public string FeatureColumnName { get; }
        public PixelLevels Pixels { get; }
        public int Dimensions => Network.Dimensions;
        public ImageRealNvpArchitecture Architecture => Network.Architecture;
        public int ScoringBatchSize { get; }
        public TrainingSummary TrainingSummary { get; }
        public Device Device { get; }
        /// <summary>Bits/dim statistics of in-distribution images for the TypicalityScore column; null for models saved before it existed (format 1).</summary>
        public TypicalityReference Typicality { get; }

        public void Dispose() => Network.Dispose();
    }
}
