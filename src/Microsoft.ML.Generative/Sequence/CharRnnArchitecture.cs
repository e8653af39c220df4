using System;

namespace Microsoft.ML.Generative.Sequence
{
    /// <summary>Shape of a <see cref="CharRnnNetwork"/>; saved with the model.</summary>
    internal sealed record CharRnnArchitecture
    {
        public int VocabularySize { get; init; }
        public int EmbeddingSize { get; init; }
        public int HiddenSize { get; init; }
        public int Layers { get; init; }
        public CharRnnCellType CellType { get; init; }
        public float Dropout { get; init; }
        public CharRnnInitialState InitialState { get; init; }
        /// <summary>Size of the conditioning vector (only with <see cref="CharRnnInitialState.Condition"/>), else 0.</summary>
        public int ConditionSize { get; init; }

        /// <summary>Number of state tensors per layer: h and c for LSTM, h otherwise.</summary>
        public int StateParts => CellType == CharRnnCellType.Lstm ? 2 : 1;

        public void Validate()
        {
            if (VocabularySize < 3 || EmbeddingSize < 1 || HiddenSize < 1 || Layers < 1 || !(Dropout >= 0 && Dropout < 1)
                || !Enum.IsDefined(CellType) || !Enum.IsDefined(InitialState)
                || (InitialState == CharRnnInitialState.Condition) != (ConditionSize > 0) || ConditionSize < 0)
                throw new System.IO.InvalidDataException($"Invalid char-RNN architecture: {this}.");
        }
    }
}
