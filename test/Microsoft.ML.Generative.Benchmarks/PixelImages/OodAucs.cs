using Microsoft.ML.Data;
using Microsoft.ML.Generative.Benchmarks.Anomaly;

namespace Microsoft.ML.Generative.Benchmarks.PixelImages;

/// <summary>
/// ROC-AUC of an image model's three OOD columns (<c>Score</c>, <c>ComplexityScore</c>, <c>TypicalityScore</c>; higher =
/// flagged) with out-of-distribution images as positives and in-distribution test images as negatives. Below 0.5 means
/// the score ranks the foreign images as *more* typical.
/// </summary>
internal sealed record OodAucs(double Score, double Complexity, double Typicality)
{
    public static OodAucs Measure(ITransformer model, IDataView inDistribution, IDataView outOfDistribution)
    {
        double Auc(string column)
        {
            if (model.GetOutputSchema(inDistribution.Schema).GetColumnOrNull(column) is null) return double.NaN;
            var negatives = model.Transform(inDistribution).GetColumn<float>(column).ToList();
            var positives = model.Transform(outOfDistribution).GetColumn<float>(column).ToList();
            return RocAuc.Compute(negatives.Concat(positives).ToList(),
                Enumerable.Repeat(false, negatives.Count).Concat(Enumerable.Repeat(true, positives.Count)).ToList());
        }
        return new OodAucs(Auc("Score"), Auc("ComplexityScore"), Auc("TypicalityScore"));
    }
}
