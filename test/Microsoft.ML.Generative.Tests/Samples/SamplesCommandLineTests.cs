using Xunit;

namespace Microsoft.ML.Generative.Tests.Samples;

/// <summary>
/// The Samples app's command line: help, mistakes on the command line and unusable input files, each with its exit code
/// (src/Samples/Cli/ExitCodes.cs) and a message that says what is wrong. None of these runs trains anything.
/// </summary>
public sealed class SamplesCommandLineTests : IDisposable
{
    private const int Success = 0, DataError = 1, UsageError = 2;

    /// <summary>The working directory of every run: nothing the app writes lands in the repository.</summary>
    private readonly string _dir = Directory.CreateTempSubdirectory("samples-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void HelpListsTheCommandsTheDefaultOptionsAndTheExitCodes()
    {
        var result = SamplesApp.Run(_dir, "--help");

        Assert.True(result.ExitCode == Success, result.ToString());
        foreach (var expected in new[] { "tabular", "text", "text-score", "images", "--csv", "--epochs", "Exit codes: 0 success, 1 unusable file or data, 2 bad command line." })
            Assert.Contains(expected, result.Output);
        Assert.Equal("", result.Error);
    }

    [Theory]
    [InlineData("tabular", "--label")]
    [InlineData("text", "--temperature")]
    [InlineData("text-score", "--no-color")]
    [InlineData("images", "--drop-column")]
    public void EachCommandsHelpListsItsOptions(string command, string option)
    {
        var result = SamplesApp.Run(_dir, command, "--help");

        Assert.True(result.ExitCode == Success, result.ToString());
        Assert.Contains($"Samples {command} [options]", result.Output);
        Assert.Contains(option, result.Output);
    }

    [Theory]
    [InlineData("--frobnicate", "--frobnicate")]                  // an unknown option
    [InlineData("frobnicate", "frobnicate")]                      // an unknown command
    [InlineData("--epochs 0", "--epochs")]                        // out of range
    [InlineData("--epochs many", "--epochs")]                     // not a number
    [InlineData("--label is_fraud", "--label")]                   // a CSV option without --csv
    [InlineData("text", "--file")]                                // a required option missing
    [InlineData("text --file a.txt --cell transformer", "transformer")]
    [InlineData("images --train a.csv --feature-maps 20", "--feature-maps")]
    [InlineData("images --train a.csv --model pixelcnn", "pixelcnn")]
    [InlineData("images --train a.csv --model pixelrnn --scales 2", "--scales")]       // a Real NVP option with a Pixel RNN
    [InlineData("images --train a.csv --architecture rowlstm", "--architecture")]      // a Pixel RNN option with Real NVP
    [InlineData("--epochs 3 text --file a.txt", "--epochs")]      // an option of the default command before another command
    public void ABadCommandLineIsAUsageErrorThatNamesTheMistake(string commandLine, string named)
    {
        var result = SamplesApp.Run(_dir, commandLine.Split(' '));

        Assert.True(result.ExitCode == UsageError, result.ToString());
        Assert.Contains(named, result.Error);
        Assert.Contains("--help", result.Error);
        // Nothing ran: no output folder was created.
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("--csv")]
    [InlineData("text --file")]
    [InlineData("text-score --file")]
    [InlineData("images --train")]
    public void AMissingInputFileIsADataErrorThatNamesTheFile(string option)
    {
        string missing = Path.Combine(_dir, "no-such-file.csv");

        var result = SamplesApp.Run(_dir, option.Split(' ').Append(missing).ToArray());

        Assert.True(result.ExitCode == DataError, result.ToString());
        // text-score looks for its model first, and names that missing file.
        Assert.Contains(option.StartsWith("text-score") ? "text-model.zip" : missing, result.Error);
        Assert.DoesNotContain("   at ", result.Error); // a message, not a stack trace
    }

    [Theory]
    [InlineData("a,b,label\n1,2,0\n\n3,4\n", "line 4", "2 field(s); expected 3")]        // a short row (after a blank line)
    [InlineData("a,b,label\n1,2,0\n3,\"4,1\n", "line 3", "quoted field that is never closed")]
    [InlineData("a,b,label\n1,2,0\n3,4,maybe\n", "line 3", "label column 'label' has 'maybe'")]
    [InlineData("", "", "is empty")]
    public void AMalformedCsvIsADataErrorThatNamesTheFileAndLine(string content, string line, string problem)
    {
        string csv = Path.Combine(_dir, "table.csv");
        File.WriteAllText(csv, content);

        var result = SamplesApp.Run(_dir, "--csv", csv, "--label", "label", "--output", Path.Combine(_dir, "out"));

        Assert.True(result.ExitCode == DataError, result.ToString());
        Assert.Contains(csv, result.Error);
        Assert.Contains(line, result.Error);
        Assert.Contains(problem, result.Error);
    }
}
