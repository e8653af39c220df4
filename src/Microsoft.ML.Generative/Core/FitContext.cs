using System;
using Microsoft.ML.Generative.MLNetInternals;
using Microsoft.ML.Generative.Training;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative
{
    /// <summary>
    /// What one Fit of any family has: its log channel, cancellation, device, seed, and the shared way to build a network
    /// (seeded) and train it (<see cref="TrainingLoop"/> with the options' settings). <see cref="Run"/> holds TorchSharp's
    /// process-wide state for the whole Fit and restores it afterwards (<see cref="TorchGlobalState"/>).
    /// </summary>
    internal sealed class FitContext
    {
        private readonly IHost _host;
        private readonly GenerativeModelOptions _options;

        private FitContext(IHost host, GenerativeModelOptions options, IChannel channel)
        {
            _host = host;
            _options = options;
            Channel = channel;
            Device = TorchDevice.Resolve(options.Device);
            Seed = options.Seed ?? host.Rand.Next();
        }

        /// <summary>Runs one Fit: <paramref name="fit"/> gets a context whose channel is named <paramref name="title"/>.</summary>
        public static T Run<T>(IHost host, GenerativeModelOptions options, string title, Func<FitContext, T> fit)
        {
            using var globalState = TorchGlobalState.EnterTraining(options.NumberOfThreads);
            using var channel = host.Start(title);
            return fit(new FitContext(host, options, channel));
        }

        /// <summary>Progress, warnings and the training history go here (MLContext.Log shows them).</summary>
        public IChannel Channel { get; }

        /// <summary>Where the networks train.</summary>
        public Device Device { get; }

        /// <summary>The options' seed, or one drawn from the context's random source.</summary>
        public int Seed { get; }

        /// <summary>Throws OperationCanceledException once the MLContext was cancelled.</summary>
        public void ThrowIfCanceled() => HostCancellation.ThrowIfCanceled(_host);

        /// <summary>
        /// Seeds TorchSharp's global generator with <paramref name="seed"/> (it stays seeded, so dropout during the training
        /// that follows is reproducible; <see cref="Run"/> restores the host's state at the end), builds the network, and
        /// moves it to <see cref="Device"/>.
        /// </summary>
        public TNetwork Build<TNetwork>(int seed, Func<TNetwork> build) where TNetwork : nn.Module
        {
            random.manual_seed(seed);
            var network = build();
            if (Device.type != DeviceType.CPU) network.to(Device);
            return network;
        }

        /// <summary>Trains <paramref name="objective"/>'s model with the options' settings; the model ends in evaluation mode with its best weights.</summary>
        public TrainingSummary Train(ITrainingObjective objective)
            => TrainingLoop.Run(objective, _options.ToTrainingSettings(), Channel, ThrowIfCanceled);
    }
}
