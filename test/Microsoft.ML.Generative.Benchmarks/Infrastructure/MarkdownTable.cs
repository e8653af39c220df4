using System.Text;

namespace Microsoft.ML.Generative.Benchmarks.Infrastructure;

/// <summary>A markdown table built row by row; the first column is left aligned, the others right aligned.</summary>
internal sealed class MarkdownTable
{
    private readonly string[] _header;
    private readonly List<string[]> _rows = new();

    public MarkdownTable(params string[] header) => _header = header;

    public void Add(params string[] cells)
    {
        if (cells.Length != _header.Length) throw new ArgumentException("cell count differs from the header.");
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("| ").Append(string.Join(" | ", _header)).AppendLine(" |");
        sb.Append('|').Append(string.Join("|", _header.Select((_, i) => i == 0 ? "---" : "---:"))).AppendLine("|");
        foreach (var row in _rows)
            sb.Append("| ").Append(string.Join(" | ", row)).AppendLine(" |");
        return sb.ToString();
    }
}
