using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Lotse.Web.Tests;

/// <summary>
/// The German UI texts are the localization keys; these tests read src/Lotse.Web itself and check that
/// Resources/SharedResource.en.resx has an English text for every key the code uses, and nothing else.
/// </summary>
public sealed partial class LocalizationTests
{
    private static readonly string WebRoot = Path.Combine(RepositoryRoot(), "src", "Lotse.Web");
    private static readonly string ResxPath = Path.Combine(WebRoot, "Resources", "SharedResource.en.resx");

    /// <summary>
    /// Keys that reach the localizer through a variable (<c>T[label]</c>, <c>T[Model.Title]</c>, …) are read from
    /// the places that hold them. Each place must still yield keys, so that moving them does not go unnoticed.
    /// </summary>
    private static readonly (string File, Regex Pattern)[] IndirectKeySources =
    [
        // The ChatChoices/MailChoices rows: (ChatMode.Online, "label", "hint").
        ("Features/Dashboard/Index.cshtml", ChoiceRowPattern()),
        // AppointmentLabels.Channel/Status: Enum.Value => "label".
        ("Features/Appointments/AppointmentLabels.cs", ArrowLiteralPattern()),
        // ErrorModel: StatusCodes.X => ("title", "explanation").
        ("Features/Errors/Error.cshtml.cs", ArrowPairPattern()),
    ];

    [Fact]
    public void EnglishResource_EveryKeyUsedInWeb_HasEntry()
    {
        var english = EnglishEntries();
        var used = UsedKeys();

        var problems = used
            .Where(u => !english.ContainsKey(u.Key))
            .Select(u => $"  „{u.Key}“ ({u.Value}){CaseNote(u.Key, english.Keys.Concat(used.Keys))}")
            .ToList();

        Assert.True(problems.Count == 0,
            $"{problems.Count} German key(s) have no English entry in Resources/SharedResource.en.resx:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void EnglishResource_KeyWithPlaceholders_ValueKeepsThem()
    {
        var problems = EnglishEntries()
            .Where(e => !Placeholders(e.Key).SetEquals(Placeholders(e.Value)) || string.IsNullOrWhiteSpace(e.Value))
            .Select(e => $"  „{e.Key}“ → “{e.Value}”")
            .ToList();

        Assert.True(problems.Count == 0,
            $"{problems.Count} English text(s) are empty or do not have the same {{n}} placeholders as their key:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void EnglishResource_EveryEntry_UsedInWeb()
    {
        var used = UsedKeys();

        var stale = EnglishEntries().Keys.Where(k => !used.ContainsKey(k)).Select(k => $"  „{k}“").ToList();

        Assert.True(stale.Count == 0,
            $"{stale.Count} entr(y/ies) in Resources/SharedResource.en.resx are used nowhere in src/Lotse.Web (remove them, or the German text changed):\n{string.Join("\n", stale)}");
    }

    [Fact]
    public void EnglishResource_EveryEntry_ServedByLocalizerInEnglish()
    {
        var factory = new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance);
        var localizer = factory.Create(typeof(SharedResource));
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            // Wrong or lost entries: not embedded, wrong resource name, or dropped by the resource compiler
            // (it keeps only one of two names that differ only in case).
            var problems = EnglishEntries()
                .Select(e => (Entry: e, Served: localizer[e.Key]))
                .Where(x => x.Served.ResourceNotFound || x.Served.Value != x.Entry.Value)
                .Select(x => $"  „{x.Entry.Key}“ → “{x.Served.Value}” instead of “{x.Entry.Value}”")
                .ToList();

            Assert.True(problems.Count == 0, $"{problems.Count} English text(s) are not what the localizer serves:\n{string.Join("\n", problems)}");
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>Every key the web project uses, with the first place (file:line) that uses it.</summary>
    private static Dictionary<string, string> UsedKeys()
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);

        void Add(string key, string file, string text, int index)
        {
            if (key.Length > 0)
            {
                var line = text.AsSpan(0, index).Count('\n') + 1;
                keys.TryAdd(Unescape(key), $"{Path.GetRelativePath(WebRoot, file).Replace('\\', '/')}:{line}");
            }
        }

        foreach (var file in SourceFiles())
        {
            var text = File.ReadAllText(file);
            foreach (var pattern in new[] { LocalizerLiteralPattern(), ErrorMessagePattern(), DisplayTextPattern() })
            {
                foreach (Match m in pattern.Matches(text))
                {
                    Add(m.Groups["key"].Value, file, text, m.Index);
                }
            }
        }

        foreach (var (relative, pattern) in IndirectKeySources)
        {
            var file = Path.Combine(WebRoot, relative);
            Assert.True(File.Exists(file), $"{relative} no longer exists: update {nameof(IndirectKeySources)} to where its UI keys went.");
            var text = File.ReadAllText(file);
            var matches = pattern.Matches(text);
            Assert.True(matches.Count > 0, $"No UI keys found in {relative}: update {nameof(IndirectKeySources)} to how they are written now.");
            foreach (Match m in matches)
            {
                foreach (Capture capture in m.Groups["key"].Captures)
                {
                    Add(capture.Value, file, text, capture.Index);
                }
            }
        }

        return keys;
    }

    private static IEnumerable<string> SourceFiles()
    {
        var skipped = new[] { "bin", "obj", "node_modules", "wwwroot", "Migrations" };
        return Directory.EnumerateFiles(WebRoot, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => !Path.GetRelativePath(WebRoot, f).Split(Path.DirectorySeparatorChar).Intersect(skipped).Any())
            .Order(StringComparer.Ordinal);
    }

    private static Dictionary<string, string> EnglishEntries()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var data in XDocument.Load(ResxPath).Root!.Elements("data"))
        {
            var name = (string?)data.Attribute("name") ?? "";
            Assert.True(entries.TryAdd(name, (string?)data.Element("value") ?? ""), $"„{name}“ is in the resx twice.");
        }

        return entries;
    }

    /// <summary>Explains a key that cannot get an entry because another key differs from it only in case.</summary>
    private static string CaseNote(string key, IEnumerable<string> others)
    {
        var twin = others.FirstOrDefault(o => o != key && string.Equals(o, key, StringComparison.OrdinalIgnoreCase));
        return twin is null
            ? ""
            : $" – differs only in case from „{twin}“; a resx cannot hold both (the resource compiler drops one), so one of the two German texts must change";
    }

    private static HashSet<string> Placeholders(string text) =>
        PlaceholderPattern().Matches(text).Select(m => m.Groups["index"].Value).ToHashSet(StringComparer.Ordinal);

    private static string Unescape(string literal) => literal.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Lotse.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Lotse.slnx not found above {AppContext.BaseDirectory}.");
    }

    private const string Literal = "\"(?<key>(?:[^\"\\\\\\r\\n]|\\\\.)*)\"";

    /// <summary><c>T["…"]</c> in views, <c>t["…"]</c> in page models and services (also with format arguments).</summary>
    [GeneratedRegex(@"(?<![\w.])[Tt]\[\s*" + Literal)]
    private static partial Regex LocalizerLiteralPattern();

    [GeneratedRegex(@"\bErrorMessage\s*=\s*" + Literal)]
    private static partial Regex ErrorMessagePattern();

    [GeneratedRegex(@"\bDisplay\([^)]*?\bName\s*=\s*" + Literal)]
    private static partial Regex DisplayTextPattern();

    [GeneratedRegex(@"\(\s*\w+\.\w+\s*,\s*" + Literal + @"\s*,\s*" + Literal + @"\s*\)")]
    private static partial Regex ChoiceRowPattern();

    [GeneratedRegex(@"=>\s*" + Literal)]
    private static partial Regex ArrowLiteralPattern();

    [GeneratedRegex(@"=>\s*\(\s*" + Literal + @"\s*,\s*" + Literal + @"\s*\)")]
    private static partial Regex ArrowPairPattern();

    [GeneratedRegex(@"\{(?<index>\d+)(?:[,:][^}]*)?\}")]
    private static partial Regex PlaceholderPattern();
}
