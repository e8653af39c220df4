using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Training
{
    /// <summary>
    /// What <see cref="TrainingLoop"/> needs from a model family: its module, how to form each training batch's
    /// mean loss, and the validation loss. Knows nothing of optimisers, early stopping or ML.NET.
    /// </summary>
    internal interface ITrainingObjective
    {
        /// <summary>The module whose parameters are trained and whose state is snapshotted.</summary>
        nn.Module Model { get; }

        /// <summary>Number of optimizer steps in one epoch.</summary>
        int BatchesPerEpoch { get; }

        /// <summary>Name of the unit counted in throughput reports (rows, characters, ...).</summary>
        string ItemName { get; }

        /// <summary>
        /// Called once before the first step, in training mode under no_grad: data-dependent initialisation (ActNorm) goes
        /// here, so that the initial weights the loop keeps as "epoch 0" are the initialised ones.
        /// </summary>
        void Initialize() { }

        /// <summary>Called before each epoch (reshuffle here).</summary>
        void StartEpoch(int epoch);

        /// <summary>The mean loss of training batch <paramref name="batch"/> (a scalar with grad) and how many items it covers.</summary>
        (Tensor loss, long items) TrainingBatch(int batch);

        /// <summary>The mean validation loss, or null when there is no validation data. Called in eval mode under no_grad.</summary>
        double? ValidationLoss();
    }
}
