using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.ML.Generative.Tests.Infrastructure;
using Microsoft.ML.TorchSharp;
using Microsoft.ML.TorchSharp.AutoFormerV2;
using Microsoft.ML.TorchSharp.NasBert;
using Microsoft.ML.Transforms.Image;
using Mono.Cecil;
using Xunit;
using static TorchSharp.torch;

namespace Microsoft.ML.Generative.Tests;

/// <summary>
/// What Microsoft.ML.TorchSharp 0.24.0 does in a process that also runs this library, on the TorchSharp 0.107.0 and
/// libtorch 2.10.0 that this library needs.
/// </summary>
/// <remarks>
/// <para>Microsoft.ML.TorchSharp 0.24.0 was built against TorchSharp 0.102.7. On TorchSharp 0.107.0 none of its five
/// trainers gets through its first forward pass:</para>
/// <list type="bullet">
/// <item>ObjectDetection (AutoFormerV2) calls a <c>torch.nn.functional.interpolate</c> overload that TorchSharp 0.107
/// no longer has: <see cref="MissingMethodException"/>.</item>
/// <item>TextClassification, SentenceSimilarity, NamedEntityRecognition (NAS-BERT) and QuestionAnswer (RoBERTa, whose
/// head is a NAS-BERT module) initialise weights through a helper that disposes the tensor returned by TorchSharp's
/// in-place <c>nn.init.*_</c> functions. Since TorchSharp returns the very tensor it was given, that disposes the
/// model's own parameters: "Tensor invalid -- empty handle" at the first forward pass.</item>
/// </list>
/// <para>Everything before that runs, offline: each trainer builds its TorchSharp model, loads its pretrained weights
/// from <c>MLContext.TempFilePath/mlnet/&lt;file&gt;</c> (downloading only when the file is missing) and turns rows into
/// tensors (its tokenizer is embedded; images go through SkiaSharp). These tests write stand-in weight files there,
/// point ML.NET's resource URL at a non-HTTP address so that any download attempt fails at once, run both trainers
/// up to their failure, and check that this library trains and scores bit-identically before and after, on one
/// TorchSharp assembly and one libtorch. When a new Microsoft.ML.TorchSharp fixes either failure these tests fail,
/// and should become a real train-and-score test (and the README say so).</para>
/// </remarks>
public class CoexistenceTests
{
    private const string ResourceUrlVariable = "MICROSOFTML_RESOURCE_URL";
    private const string NasBertEncoderFile = "NasBert2000000.tsm";                  // TextClassification's "models/NasBert2000000.tsm"
    private const string AutoFormerFile = "autoformer_11m_torchsharp.bin";             // ObjectDetection's "models/autoformer_11m_torchsharp.bin"
    private const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    private static Assembly Theirs => typeof(TorchSharpCatalog).Assembly;

    [Fact]
    public void MicrosoftMLTorchSharpReferencesExactlyOneTorchSharpMemberThatTorchSharp0107Lacks()
    {
        string dir = AppContext.BaseDirectory;
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(dir);
        using var assembly = AssemblyDefinition.ReadAssembly(Theirs.Location, new ReaderParameters { AssemblyResolver = resolver });
        var missing = new SortedDictionary<string, SortedSet<string>>();
        foreach (var type in assembly.MainModule.GetTypes())
            foreach (var method in type.Methods.Where(m => m.HasBody))
                foreach (var instruction in method.Body.Instructions)
                {
                    if (instruction.Operand is not (MethodReference or FieldReference)) continue;
                    var member = (MemberReference)instruction.Operand;
                    if ((member.DeclaringType.GetElementType().Scope as AssemblyNameReference)?.Name != "TorchSharp") continue;
                    if ((member is MethodReference m ? m.Resolve() : (IMemberDefinition)((FieldReference)member).Resolve()) != null) continue;
                    if (!missing.TryGetValue(member.FullName, out var users)) missing[member.FullName] = users = new SortedSet<string>();
                    users.Add(type.FullName.Split('/')[0]);
                }

        var (name, usedBy) = Assert.Single(missing.Select(kv => (kv.Key, kv.Value)));
        Assert.Contains("TorchSharp.torch/nn/functional::interpolate(", name);
        Assert.Equal(new[] { "Microsoft.ML.TorchSharp.AutoFormerV2.AutoFormerV2Block", "Microsoft.ML.TorchSharp.AutoFormerV2.FPN" }, usedBy);
        Assert.Equal("0.107.0", typeof(Tensor).Assembly.GetName().Version!.ToString(3));
    }

    [Fact]
    public void MicrosoftMLTorchSharpTrainersFailAtTheirFirstForwardPassAndThisLibraryIsUnaffected()
    {
        int threads = TestThreads();
        string temp = Directory.CreateTempSubdirectory("mlgen-coexistence-").FullName;
        string priorResourceUrl = Environment.GetEnvironmentVariable(ResourceUrlVariable);
        int priorThreads = get_num_threads();
        try
        {
            Environment.SetEnvironmentVariable(ResourceUrlVariable, "file:///no-downloads-in-tests/");
            Directory.CreateDirectory(Path.Combine(temp, "mlnet"));

            // 1. This library first.
            using var flowBefore = FitFlow(threads);
            float[] scoresBefore = ScoreFlow(flowBefore);
            Assert.All(scoresBefore, s => Assert.True(float.IsFinite(s)));

            var messages = new ConcurrentQueue<string>();
            var ml = new MLContext(seed: 1) { TempFilePath = temp };
            ml.Log += (_, e) => messages.Enqueue(e.Message);
            set_num_threads(threads);

            // 2a. ObjectDetection: loads its weights with strict = false, so an empty state dict leaves its randomly
            //     initialised AutoFormerV2 as it is. It builds the model, loads, seeds libtorch's global generator,
            //     turns a SkiaSharp image into a tensor, and then cannot call interpolate.
            nn.Sequential().save(Path.Combine(temp, "mlnet", AutoFormerFile));
            var detector = ml.Transforms.Conversion.MapValueToKey("Label", nameof(Picture.Labels))
                .Append(ml.MulticlassClassification.Trainers.ObjectDetection(new ObjectDetectionTrainer.Options
                {
                    LabelColumnName = "Label", BoundingBoxColumnName = nameof(Picture.Box), ImageColumnName = nameof(Picture.Image), MaxEpoch = 1,
                }));
            var detectorError = Assert.Throws<MissingMethodException>(() => detector.Fit(ml.Data.LoadFromEnumerable(Pictures())));
            Assert.Contains("interpolate", detectorError.Message);
            Assert.Contains(messages, m => m.Contains("Starting epoch 0"));

            // 2b. TextClassification: its encoder is loaded strictly, so write one made by its own classes. Its Fit
            //     builds the model, loads the file, tokenizes, and fails on a parameter its initialiser disposed.
            WriteNasBertEncoder(Path.Combine(temp, "mlnet", NasBertEncoderFile));
            var classifier = ml.Transforms.Conversion.MapValueToKey("Label")
                .Append(ml.MulticlassClassification.Trainers.TextClassification(labelColumnName: "Label", sentence1ColumnName: nameof(Review.Text), batchSize: 4, maxEpochs: 1));
            var classifierError = Assert.Throws<InvalidOperationException>(() => classifier.Fit(ml.Data.LoadFromEnumerable(Reviews())));
            Assert.Contains("empty handle", classifierError.Message);
            Assert.Contains(classifierError.StackTrace.Split('\n'), line => line.Contains("Microsoft.ML.TorchSharp.NasBert"));

            // The cause, isolated: their weight initialiser disposes the tensor it initialises.
            using (var probe = ones(2, 2))
            {
                Theirs.GetType("Microsoft.ML.TorchSharp.Utils.ModelUtils", throwOnError: true)!.GetMethod("InitZeros", Any)!.Invoke(null, new object[] { probe });
                Assert.True(probe.IsInvalid);
            }

            Assert.DoesNotContain(messages, m => m.Contains("Downloading", StringComparison.OrdinalIgnoreCase));
            set_num_threads(priorThreads);

            // 3. This library after theirs: the flow trained before scores the same, and a new flow with the same seed
            //    and thread count is bit-identical to it (their seeding of libtorch's global generator does not reach us).
            Assert.Equal(scoresBefore, ScoreFlow(flowBefore));
            using var flowAfter = FitFlow(threads);
            Assert.Equal(scoresBefore, ScoreFlow(flowAfter));

            // 4. One TorchSharp assembly, at least the version Microsoft.ML.TorchSharp was built against, and one libtorch.
            var theirTorchSharp = Theirs.GetReferencedAssemblies().Single(a => a.Name == "TorchSharp");
            var loaded = Assert.Single(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "TorchSharp");
            Assert.True(loaded.GetName().Version >= theirTorchSharp.Version);
            Assert.StartsWith("2.10.0", __version__);
            if (OperatingSystem.IsLinux())
            {
                var mapped = File.ReadAllLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    .Where(f => f.Length >= 6).Select(f => f[5]).Distinct().ToList();
                Assert.Single(mapped, p => Path.GetFileName(p) == "libtorch_cpu.so");
                Assert.Single(mapped, p => Path.GetFileName(p) == "libLibTorchSharp.so");
            }
        }
        finally
        {
            // Their failed Fits leave their models (tens of MB of native tensors) to the finalizer; free them now, so
            // that later tests in this process do not find malloc's heap full of this test's leftovers.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            set_num_threads(priorThreads);
            Environment.SetEnvironmentVariable(ResourceUrlVariable, priorResourceUrl);
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Threads for libtorch in tests that train: GENERATIVE_TEST_THREADS, default 1.</summary>
    private static int TestThreads() =>
        int.TryParse(Environment.GetEnvironmentVariable("GENERATIVE_TEST_THREADS"), out int n) && n > 0 ? n : 1;

    private static RealNvpTransformer FitFlow(int threads)
    {
        var ml = new MLContext(seed: 1);
        var rows = TrainedFlowFixture.MakeRows(300, 1, 0).Select(r => new[] { r.A, r.B, r.C });
        return ml.Generative().RealNvp(new RealNvpOptions
        {
            MaxEpochs = 3, NumberOfCouplingLayers = 2, HiddenLayerSize = 16, Seed = 1, NumberOfThreads = threads,
        }).Fit(Rows.Load(ml, rows));
    }

    private static float[] ScoreFlow(RealNvpTransformer flow)
    {
        var ml = new MLContext(seed: 1);
        var rows = TrainedFlowFixture.MakeRows(50, 2, 0).Select(r => new[] { r.A, r.B, r.C });
        return flow.Transform(Rows.Load(ml, rows)).GetColumn<float>("Score").ToArray();
    }

    private sealed class Review
    {
        public string Text { get; set; }
        public string Label { get; set; }
    }

    private static IEnumerable<Review> Reviews() => new[]
    {
        new Review { Text = "a wonderful film, I loved every minute", Label = "pos" },
        new Review { Text = "great acting and a moving story", Label = "pos" },
        new Review { Text = "a dull film, I hated every minute", Label = "neg" },
        new Review { Text = "wooden acting and a silly story", Label = "neg" },
    };

    private sealed class Picture
    {
        [ImageType(64, 64)] public MLImage Image { get; set; }
        public string[] Labels { get; set; }
        public float[] Box { get; set; }
    }

    /// <summary>Two 64 x 64 images, each with one coloured square and its box.</summary>
    private static IEnumerable<Picture> Pictures()
    {
        for (int i = 0; i < 2; i++)
        {
            const int size = 64;
            int x0 = 8 + 8 * i, y0 = 8, x1 = x0 + 24, y1 = y0 + 24;
            var bgra = new byte[size * size * 4];
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    bool inside = x >= x0 && x < x1 && y >= y0 && y < y1;
                    int o = 4 * (y * size + x);
                    bgra[o] = (byte)(inside && i == 0 ? 255 : 40);
                    bgra[o + 1] = 40;
                    bgra[o + 2] = (byte)(inside && i == 1 ? 255 : 40);
                    bgra[o + 3] = 255;
                }
            yield return new Picture
            {
                Image = MLImage.CreateFromPixels(size, size, MLPixelFormat.Bgra32, bgra),
                Labels = new[] { i == 0 ? "blue" : "red" },
                Box = new float[] { x0, y0, x1, y1 },
            };
        }
    }

    /// <summary>
    /// Writes the encoder of a freshly initialised NAS-BERT text classifier, built by Microsoft.ML.TorchSharp's own
    /// (internal) classes with the options and vocabulary its TextClassification trainer uses, so that the trainer's
    /// strict load accepts it. Fails with a clear message if those internals moved.
    /// </summary>
    private static void WriteNasBertEncoder(string path)
    {
        Type TypeOf(string name) => Theirs.GetType(name)
            ?? throw new InvalidOperationException($"{Theirs.GetName()} has no type {name}; update {nameof(CoexistenceTests)}.");

        object tokenizer = TypeOf("Microsoft.ML.TorchSharp.Extensions.TokenizerExtensions").GetMethod("GetInstance", Any)!.Invoke(null, new object[] { null });
        int padIndex = (int)tokenizer.GetType().GetProperty("PadIndex", Any)!.GetValue(tokenizer)!;
        int symbols = (int)tokenizer.GetType().GetProperty("SymbolsCount", Any)!.GetValue(tokenizer)!;
        Type modelType = TypeOf("Microsoft.ML.TorchSharp.NasBert.Models.ModelForPrediction");
        using var model = (nn.Module)Activator.CreateInstance(modelType, Any, null,
            new object[] { new TextClassificationTrainer.TextClassificationOptions(), padIndex, symbols, 2 }, null)!;
        ((nn.Module)modelType.GetMethod("GetEncoder", Any)!.Invoke(model, null)!).save(path);
    }
}
