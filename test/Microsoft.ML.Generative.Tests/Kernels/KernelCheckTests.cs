using Microsoft.ML.Generative.NativeKernels;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests.Kernels;

/// <summary>The machinery the convolution and LSTM checks share: the per-process cache, the test hook and the tolerance.</summary>
public class KernelCheckTests
{
    [Fact]
    public void ConcurrentRequestsForOneShapeMeasureItOnceAndLaterOnesReadTheCache()
    {
        var check = new KernelCheck<int>("test kernel");
        int measurements = 0;
        bool Measure(int shape)
        {
            Interlocked.Increment(ref measurements);
            Thread.Sleep(100); // long enough for every thread to ask while the first measures
            return shape != 13;
        }
        var answers = new bool[16];
        Parallel.For(0, answers.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => answers[i] = check.IsCorrect(7, Measure));
        Assert.All(answers, Assert.True);
        Assert.Equal(1, measurements);
        Assert.False(check.IsCorrect(13, Measure));
        Assert.False(check.IsCorrect(13, Measure));
        Assert.Equal(2, measurements);
        Assert.Equal(2, check.MeasuredShapes);
        Assert.Equal(false, check.CachedResult(13));
        Assert.Null(check.CachedResult(8));
    }

    [Fact]
    public void ForcingAShapeWrongBypassesTheCacheOnlyWhileTheScopeLasts()
    {
        var check = new KernelCheck<int>("test kernel");
        Assert.True(check.IsCorrect(1, _ => true));
        using (check.ForceWrong(shape => shape < 3))
        {
            Assert.False(check.IsCorrect(1, _ => true));
            Assert.False(check.IsCorrect(2, _ => throw new InvalidOperationException("a forced shape is not measured")));
            Assert.True(check.IsCorrect(5, _ => true));
        }
        Assert.True(check.IsCorrect(1, _ => true));
        Assert.Null(check.CachedResult(2));
    }

    [Fact]
    public void TheToleranceAcceptsFloat32RoundOffAndRejectsWrongValuesAndNaN()
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(1, CPU);
        var expected = randn(new long[] { 64, 50 }, dtype: ScalarType.Float64, generator: g);
        Assert.True(KernelAgreement.Agrees(expected.to(ScalarType.Float32), expected), "float32 rounding of the reference itself");
        Assert.True(KernelAgreement.Agrees((expected * (1 + 1e-5)).to(ScalarType.Float32), expected), "1e-5 relative");
        var wrong = expected.clone();
        wrong[3, 7] = wrong[3, 7] + 0.2; // one element off by about 5% of the largest value
        Assert.False(KernelAgreement.Agrees(wrong, expected));
        var nan = expected.clone();
        nan[0, 0] = double.NaN;
        Assert.False(KernelAgreement.Agrees(nan, expected));
        Assert.False(KernelAgreement.Agrees(expected.narrow(0, 0, 10), expected), "a different shape");
        Assert.True(KernelAgreement.Agrees(zeros(3, 3), zeros(3, 3, dtype: ScalarType.Float64)), "all zeros");
    }
}
