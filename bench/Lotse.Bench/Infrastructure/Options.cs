using System.Globalization;

namespace Lotse.Bench.Infrastructure;

/// <summary>
/// "--name value" pairs and "--flag" switches; every option a command reads is declared with its help text, so that
/// --help lists exactly what is read and an unknown or misspelt option stops the run instead of being ignored.
/// </summary>
public sealed class Options
{
    private readonly Dictionary<string, string?> _given = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<(string Name, string Help)> _declared = [];
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);

    public Options(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help")
            {
                Help = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new OptionException($"Unexpected argument '{arg}'.");
            }

            var name = arg[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                _given[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                _given[name] = args[++i];
            }
            else
            {
                _given[name] = null;
            }
        }
    }

    public bool Help { get; }

    public string Text(string name, string fallback, string help) => Declare(name, help, fallback) ?? fallback;

    public string? OptionalText(string name, string help) => Declare(name, help, null);

    public int WholeNumber(string name, int fallback, string help) =>
        Declare(name, help, fallback.ToString(CultureInfo.InvariantCulture)) is { } v
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw new OptionException($"--{name} needs a whole number, not '{v}'.")
            : fallback;

    public double Number(string name, double fallback, string help) =>
        Declare(name, help, fallback.ToString(CultureInfo.InvariantCulture)) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : throw new OptionException($"--{name} needs a number, not '{v}'.")
            : fallback;

    public bool Flag(string name, string help)
    {
        _declared.Add(("--" + name, help));
        _read.Add(name);
        return _given.TryGetValue(name, out var v) && v is null or "true" or "1" or "yes";
    }

    /// <summary>Call after reading every option: anything given but never read is a mistake worth stopping for.</summary>
    public void RejectUnknown()
    {
        var unknown = _given.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new OptionException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}. See --help.");
        }
    }

    public void PrintHelp(TextWriter output, string usage)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(usage);
        output.WriteLine();
        var width = _declared.Max(d => d.Name.Length) + 2;
        foreach (var (name, help) in _declared)
        {
            output.WriteLine($"  {name.PadRight(width)}{help}");
        }
    }

    private string? Declare(string name, string help, string? shownDefault)
    {
        _declared.Add(($"--{name} <value>", shownDefault is null ? help : $"{help} (default {shownDefault})"));
        _read.Add(name);
        if (!_given.TryGetValue(name, out var v))
        {
            return null;
        }

        return v ?? throw new OptionException($"--{name} needs a value.");
    }
}

public sealed class OptionException(string message) : Exception(message);
