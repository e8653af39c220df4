using System;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Generative.MLNetInternals
{
    /// <summary>Cancellation through MLContext.CancelExecution() (ML.NET's ICancelable is internal).</summary>
    internal static class HostCancellation
    {
        /// <summary>Throws OperationCanceledException once the context that owns <paramref name="host"/> was cancelled.</summary>
        public static void ThrowIfCanceled(IHostEnvironment host)
        {
            if (host is ICancelable cancelable && cancelable.IsCanceled)
                throw new OperationCanceledException("Operation was cancelled through MLContext.CancelExecution().");
        }
    }
}
