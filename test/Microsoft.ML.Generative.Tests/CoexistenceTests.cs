using Microsoft.ML.Generative.Tests.Infrastructure;
using Xunit;

namespace Microsoft.ML.Generative.Tests;

/// <summary>Microsoft.ML.TorchSharp and this library share one TorchSharp in one process.</summary>
public class CoexistenceTests
{
    [Fact]
    public void MicrosoftMLTorchSharpAndThisLibraryWorkInOneProcess()
    {
        var ml = new MLContext(1);
        // Microsoft.ML.TorchSharp's estimators construct (their pretrained weights are fetched only at Fit, which
        // this offline test does not do) and bind to the same TorchSharp assembly as ours.
        var textClassifier = Microsoft.ML.TorchSharp.TorchSharpCatalog.TextClassification(ml.MulticlassClassification.Trainers, labelColumnName: "Label", sentence1ColumnName: "Text");
        Assert.NotNull(textClassifier);
        var theirTorch = typeof(Microsoft.ML.TorchSharp.TorchSharpCatalog).Assembly.GetReferencedAssemblies().Single(a => a.Name == "TorchSharp");
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "TorchSharp").ToList();
        Assert.Single(loaded);
        Assert.True(loaded[0].GetName().Version >= theirTorch.Version);

        // And both run TorchSharp code in this process: ours trains and scores.
        var rows = TrainedFlowFixture.MakeRows(200, 1, 0).Select(r => new[] { r.A, r.B, r.C });
        using var flow = ml.Generative().RealNvp(new RealNvpOptions { MaxEpochs = 2, NumberOfCouplingLayers = 2, HiddenLayerSize = 8, Seed = 1 }).Fit(Rows.Load(ml, rows));
        Assert.True(float.IsFinite(flow.Threshold));
        Assert.Equal("2.10.0", global::TorchSharp.torch.__version__.Split('+')[0][..6]);
    }
}
