using Lotse.Bench;

// dotnet run --project bench/Lotse.Bench -c Release -- <command> [options]
// One file per command; each command parses its own options and prints its own report.
var commands = new Dictionary<string, (string Summary, Func<string[], Task<int>> Run)>(StringComparer.OrdinalIgnoreCase)
{
    ["chat"] = ("N clients and counsellors chatting over SignalR: messages/s, ack and delivery latency", ChatCommand.RunAsync),
    ["generate"] = ("fills a database with a large installation (100 agencies ... 2,000,000 messages at scale 1), repeatable from a seed", GenerateCommand.RunAsync),
    ["load"] = ("the app on a generated installation: requests/s and p50/p99 of dashboard, counsellor page, slots, booking, mail request vs. the same app's ceiling", LoadCommand.RunAsync),
    ["mail"] = ("10,000 new mail requests routed over 1,000 counsellors: requests/s, p99 latency, capacity invariant", MailCommand.RunAsync),
};

if (args.Length == 0 || args[0] is "-h" or "--help" || !commands.TryGetValue(args[0], out var command))
{
    Console.WriteLine("Lotse benchmarks. Usage: dotnet run --project bench/Lotse.Bench -c Release -- <command> [options]");
    Console.WriteLine();
    foreach (var (name, (summary, _)) in commands)
    {
        Console.WriteLine($"  {name,-10} {summary}");
    }

    Console.WriteLine();
    Console.WriteLine("<command> --help lists the command's options. Results go into docs/benchmarks.md.");
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}

return await command.Run(args[1..]);
