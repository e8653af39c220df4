using System;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative.MLNetInternals
{
    /// <summary>Cancellation through MLContext.CancelExecution() (that method and ML.NET's ICancelable are internal).</summary>
    internal static class HostCancellation
    {
        /// <summary>Cancels everything running under <paramref name="mlContext"/>: our training and ML.NET's own trainers.</summary>
        public static void Cancel(MLContext mlContext) => mlContext.CancelExecution();

        /// <summary>Throws OperationCanceledException once the context that owns <paramref name="host"/> was cancelled.</summary>
        public static void ThrowIfCanceled(IHostEnvironment host)
        {
            if (host is ICancelable cancelable && cancelable.IsCanceled)
                throw new OperationCanceledException("Operation was cancelled through MLContext.CancelExecution().");
        }
    }
}
