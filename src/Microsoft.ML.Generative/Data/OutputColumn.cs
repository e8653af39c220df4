using Microsoft.ML.Data;

namespace Microsoft.ML.Generative.Data
{
    /// <summary>
    /// A column a model family adds, as its estimator declares it before training (<see cref="IsVector"/> without a size)
    /// and as its trained model adds it (<see cref="WithSize"/>).
    /// </summary>
    internal sealed record OutputColumn(string Name, PrimitiveDataViewType ItemType, bool IsVector = false)
    {
        /// <summary>The column with its type; <paramref name="vectorSize"/> is the length of a vector column.</summary>
        public ScoredColumn WithSize(int vectorSize = 0)
            => new ScoredColumn(Name, IsVector ? new VectorDataViewType(ItemType, vectorSize) : ItemType);
    }
}
