using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Lotse.Bench.Infrastructure;
using Lotse.Web.Features.Chat;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Lotse.Bench;

/// <summary>One simulated person's chat connection: a counsellor's or a client's, in one conversation.</summary>
internal sealed class ChatPeer(int index, bool isCounsellor, HubConnection hub)
{
    public int Index { get; } = index;

    public bool IsCounsellor { get; } = isCounsellor;

    public string Side => IsCounsellor ? ChatSides.Counsellor : ChatSides.Client;

    public HubConnection Hub { get; } = hub;

    public Guid ConversationId { get; set; }

    /// <summary>Id of the last message from the other side this connection heard (handlers run one at a time per connection).</summary>
    public long LastHeardId { get; set; }
}

/// <summary>Issue 5's latency target: p99 delivery under this many milliseconds.</summary>
internal static class ChatTarget
{
    public const double DeliveryMs = 100;
}

/// <summary>One load step: its rate and its sequence numbers [From, To); those from MeasuredFrom on are measured.</summary>
internal sealed record ChatStep(double Rate, long From, long MeasuredFrom, long To);

/// <summary>What one step measured. Counts cover every message (warm-up included); latencies and rates the measured part.</summary>
internal sealed record ChatLoadResult(
    long Sent,
    long Acknowledged,
    long Failed,
    long Unanswered,
    long Delivered,
    long Lost,
    long Duplicates,
    long OutOfOrder,
    long Misrouted,
    long MeasuredSent,
    double StepAcknowledgedPerSecond,
    double OfferedPerSecond,
    double AcknowledgedPerSecond,
    double DeliveredPerSecond,
    Latencies Ack,
    Latencies Delivery,
    Latencies PacerLag,
    int MaxInFlight,
    int ConnectionsDropped,
    IReadOnlyDictionary<string, int> Errors,
    CpuUse Cpu,
    IReadOnlyList<SlowSecond> SlowSeconds);

/// <summary>One second of the measured part (by send time, UTC) in which some deliveries took longer than the target.</summary>
internal sealed record SlowSecond(DateTime StartUtc, int Messages, int Late, double MaxMs);

/// <summary>
/// The load: every connection of every pair sends in turn, so the total rate is the target and each connection sends
/// every connections/rate seconds. Sending is open-loop (a message goes out at its time whether or not earlier ones
/// are acknowledged), so a slow server shows as latency and a backlog, not as a quietly lower rate.
/// Each message carries its sequence number in its text; the receiving connection looks up when it was sent (same
/// process, same monotonic clock), so delivery latency is receive time minus invoke time.
/// </summary>
internal sealed class ChatLoad : IAsyncDisposable
{
    private readonly Uri _hub;
    private readonly List<ChatPeer> _peers = [];
    private readonly long _total;
    private readonly string _padding;
    private readonly long[] _sentAt;
    private readonly long[] _ackAt;
    private readonly long[] _deliveredAt;
    private readonly long[] _lag;
    private readonly int[] _deliveries;
    private readonly byte[] _failed;
    private readonly ConcurrentDictionary<string, int> _errors = new();
    // Wall clock and monotonic clock read together, to name the seconds in which deliveries were slow (to line them up
    // with the database's and the app's logs).
    private readonly DateTime _originUtc = TimeProvider.System.GetUtcNow().UtcDateTime;
    private readonly long _originTicks = Stopwatch.GetTimestamp();
    private long _outOfOrder;
    private long _misrouted;
    private int _inFlight;
    private int _maxInFlight;
    private int _dropped;
    private volatile bool _stopping;

    /// <param name="rates">One step per rate, run one after the other on the same connections.</param>
    public ChatLoad(Uri app, IReadOnlyList<double> rates, double warmupSeconds, double durationSeconds, int messageLength)
    {
        ArgumentNullException.ThrowIfNull(rates);
        _hub = new Uri(app, ChatHub.Path);
        // Sequence numbers run on over the steps, so a late message of one step can never count for the next.
        var from = 0L;
        foreach (var rate in rates)
        {
            var measuredFrom = from + (long)Math.Round(rate * warmupSeconds);
            var to = measuredFrom + (long)Math.Round(rate * durationSeconds);
            Steps.Add(new ChatStep(rate, from, measuredFrom, to));
            from = to;
        }

        _total = from;
        // "<sequence> xxxx…": a chat line of roughly the given length.
        _padding = new string('x', Math.Max(1, messageLength - 8));
        _sentAt = new long[_total];
        _ackAt = new long[_total];
        _deliveredAt = new long[_total];
        _lag = new long[_total];
        _deliveries = new int[_total];
        _failed = new byte[_total];
    }

    public int Connections => _peers.Count;

    public List<ChatStep> Steps { get; } = [];

    /// <summary>Sends not yet answered (acknowledgement or error).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Acknowledged messages over every step so far (the database must hold exactly these).</summary>
    public long AcknowledgedSoFar
    {
        get
        {
            long n = 0;
            foreach (var at in _ackAt)
            {
                n += at != 0 ? 1 : 0;
            }

            return n;
        }
    }

    /// <summary>
    /// Per pair, as the pages do it: the counsellor connects (and so comes online), the client connects and starts the
    /// conversation, both join it. A few pairs at a time, so that setting up is not itself a load test.
    /// </summary>
    public async Task ConnectAsync(IReadOnlyList<(BenchPair Pair, string CounsellorCookie, string ClientCookie)> pairs, int parallel, Action<int> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var peers = new ChatPeer[pairs.Count * 2];
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, pairs.Count), new ParallelOptions { MaxDegreeOfParallelism = parallel, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var (pair, counsellorCookie, clientCookie) = pairs[i];
            var counsellor = Peer(2 * i, isCounsellor: true, counsellorCookie);
            var client = Peer((2 * i) + 1, isCounsellor: false, clientCookie);
            peers[counsellor.Index] = counsellor;
            peers[client.Index] = client;
            await counsellor.Hub.StartAsync(ct);
            // The first call is answered only after OnConnectedAsync ran: the counsellor now counts as connected (online).
            await counsellor.Hub.InvokeAsync<int>("Unread", ct);
            await client.Hub.StartAsync(ct);
            var conversationId = await client.Hub.InvokeAsync<Guid>("StartConversation", pair.CounsellorId, ct);
            client.ConversationId = conversationId;
            counsellor.ConversationId = conversationId;
            await client.Hub.InvokeAsync<ChatJoined>("Join", conversationId, ct);
            await counsellor.Hub.InvokeAsync<ChatJoined>("Join", conversationId, ct);
            var n = Interlocked.Increment(ref done);
            if (n % 250 == 0 || n == pairs.Count)
            {
                progress(n * 2);
            }
        });
        _peers.AddRange(peers);
    }

    /// <param name="measuring">Called when the warm-up ends (e.g. to reset database statistics).</param>
    public async Task<ChatLoadResult> RunAsync(ChatStep step, int? serverPid, int? databasePid, TimeSpan drainLimit, Func<Task> measuring, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        var start = Stopwatch.GetTimestamp();
        var warmedUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pacer = new Thread(() => Pace(step, start, warmedUp)) { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
        pacer.Start();
        await warmedUp.Task.WaitAsync(cancellationToken);
        ArgumentNullException.ThrowIfNull(measuring);
        await measuring();
        var cpu = new CpuMeter(serverPid, databasePid);
        while (pacer.IsAlive)
        {
            await Task.Delay(100, cancellationToken);
        }

        // Everything sent is answered (ack or error) and every acknowledged message delivered, or the drain limit passes.
        var drained = Stopwatch.StartNew();
        while (drained.Elapsed < drainLimit && (Volatile.Read(ref _inFlight) > 0 || Undelivered(step, long.MaxValue) > 0))
        {
            await Task.Delay(50, cancellationToken);
        }

        var cpuUse = cpu.Stop();
        // What counts as acknowledged is fixed now: with a backlog the server goes on answering while the result is
        // counted, and a message acknowledged a moment ago may still be on its way to the other side. Those acknowledged
        // by now get up to 10 s more to arrive (and late duplicates a moment) before anything counts as lost.
        var cutoff = Stopwatch.GetTimestamp();
        var grace = Stopwatch.StartNew();
        do
        {
            await Task.Delay(500, cancellationToken);
        }
        while (grace.Elapsed < TimeSpan.FromSeconds(10) && Undelivered(step, cutoff) > 0);

        return Result(step, cutoff, cpuUse);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        await Parallel.ForEachAsync(_peers, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (p, _) => await p.Hub.DisposeAsync());
    }

    private ChatPeer Peer(int index, bool isCounsellor, string cookie)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(_hub, HttpTransportType.WebSockets, o =>
            {
                // What a browser does after negotiating WebSockets; negotiating first would only add a request per connection.
                o.SkipNegotiation = true;
                o.Headers["Cookie"] = cookie;
            })
            .Build();
        var peer = new ChatPeer(index, isCounsellor, hub);
        hub.On<ChatMessageView>(ChatBroadcast.MessageEvent, m => Heard(peer, m));
        // The list badge events: received (so the server's work is the real one) and ignored.
        hub.On<Guid>(ChatBroadcast.InboxEvent, _ => { });
        hub.On<object>(ChatBroadcast.ClosedEvent, _ => Error("conversation closed"));
        hub.Closed += e =>
        {
            if (!_stopping)
            {
                Interlocked.Increment(ref _dropped);
                Error("connection closed: " + (e?.Message ?? "by the server"));
            }

            return Task.CompletedTask;
        };
        return peer;
    }

    private void Pace(ChatStep step, long start, TaskCompletionSource measuring)
    {
        var next = step.From;
        var ticksPerMessage = Stopwatch.Frequency / step.Rate;
        while (next < step.To)
        {
            var now = Stopwatch.GetTimestamp();
            var due = Math.Min(step.To, step.From + (long)((now - start) / ticksPerMessage) + 1);
            for (; next < due; next++)
            {
                if (next == step.MeasuredFrom)
                {
                    measuring.TrySetResult();
                }

                _lag[next] = Stopwatch.GetTimestamp() - (start + (long)((next - step.From) * ticksPerMessage));
                _ = SendAsync(next);
            }

            Thread.Sleep(1);
        }

        measuring.TrySetResult();
    }

    private async Task SendAsync(long seq)
    {
        var peer = _peers[(int)(seq % _peers.Count)];
        var body = seq.ToString(CultureInfo.InvariantCulture) + " " + _padding;
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        try
        {
            Volatile.Write(ref _sentAt[seq], Stopwatch.GetTimestamp());
            var ack = await peer.Hub.InvokeAsync<ChatMessageView>("Send", peer.ConversationId, Guid.NewGuid(), body).ConfigureAwait(false);
            Volatile.Write(ref _ackAt[seq], Stopwatch.GetTimestamp());
            if (ack.Body != body || ack.ConversationId != peer.ConversationId)
            {
                Error("acknowledgement for another message");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failed[seq] = 1;
            Error(e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private void Heard(ChatPeer peer, ChatMessageView message)
    {
        var now = Stopwatch.GetTimestamp();
        if (message.Sender == peer.Side)
        {
            // The sender's own message comes back to its side's group (its other tabs); not a delivery.
            return;
        }

        var space = message.Body.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !long.TryParse(message.Body.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) || seq >= _total)
        {
            Error("a message the bench did not send");
            return;
        }

        // The sender of message seq is peer seq % n; its partner (the other side of the same pair) is index ^ 1.
        if (message.ConversationId != peer.ConversationId || (int)(seq % _peers.Count) != (peer.Index ^ 1))
        {
            Interlocked.Increment(ref _misrouted);
        }

        if (Interlocked.Increment(ref _deliveries[seq]) == 1)
        {
            Volatile.Write(ref _deliveredAt[seq], now);
        }

        if (message.Id <= peer.LastHeardId)
        {
            Interlocked.Increment(ref _outOfOrder);
        }

        peer.LastHeardId = message.Id;
    }

    /// <summary>Messages acknowledged (before <paramref name="ackedBy"/>) whose delivery has not arrived.</summary>
    private long Undelivered(ChatStep step, long ackedBy)
    {
        long n = 0;
        for (var i = step.From; i < step.To; i++)
        {
            var ack = Volatile.Read(ref _ackAt[i]);
            if (ack != 0 && ack <= ackedBy && Volatile.Read(ref _deliveries[i]) == 0)
            {
                n++;
            }
        }

        return n;
    }

    /// <summary>Counts the step as it stood at <paramref name="cutoff"/>: acknowledgements after it count as unanswered.</summary>
    private ChatLoadResult Result(ChatStep step, long cutoff, CpuUse cpu)
    {
        long acked = 0, failed = 0, unanswered = 0, delivered = 0, lost = 0, duplicates = 0;
        var ack = new List<long>();
        var delivery = new List<long>();
        long firstSent = long.MaxValue, lastSent = 0, lastAck = 0, lastDelivered = 0, measuredAcked = 0, measuredDelivered = 0;
        long stepFirstSent = long.MaxValue, stepLastAck = 0;
        for (var i = step.From; i < step.To; i++)
        {
            var isAcked = _ackAt[i] != 0 && _ackAt[i] <= cutoff;
            acked += isAcked ? 1 : 0;
            failed += _failed[i];
            unanswered += !isAcked && _failed[i] == 0 ? 1 : 0;
            delivered += _deliveries[i] > 0 ? 1 : 0;
            lost += isAcked && _deliveries[i] == 0 ? 1 : 0;
            duplicates += Math.Max(0, _deliveries[i] - 1);
            stepFirstSent = Math.Min(stepFirstSent, _sentAt[i] == 0 ? long.MaxValue : _sentAt[i]);
            stepLastAck = isAcked ? Math.Max(stepLastAck, _ackAt[i]) : stepLastAck;
            if (i < step.MeasuredFrom)
            {
                continue;
            }

            firstSent = Math.Min(firstSent, _sentAt[i]);
            lastSent = Math.Max(lastSent, _sentAt[i]);
            if (isAcked)
            {
                measuredAcked++;
                lastAck = Math.Max(lastAck, _ackAt[i]);
                ack.Add(_ackAt[i] - _sentAt[i]);
            }

            if (_deliveries[i] > 0)
            {
                measuredDelivered++;
                lastDelivered = Math.Max(lastDelivered, _deliveredAt[i]);
                delivery.Add(_deliveredAt[i] - _sentAt[i]);
            }
        }

        var measured = step.To - step.MeasuredFrom;
        double PerSecond(long count, long from, long to) => to > from ? count / ((to - from) / (double)Stopwatch.Frequency) : 0;
        return new ChatLoadResult(
            step.To - step.From, acked, failed, unanswered, delivered, lost, duplicates, _outOfOrder, _misrouted, measured,
            // Over the whole step, warm-up included: what an overloaded server still gets through.
            PerSecond(acked, stepFirstSent, stepLastAck),
            // n messages sent over the span between the first and last send: n-1 intervals.
            PerSecond(measured - 1, firstSent, lastSent),
            PerSecond(measuredAcked, firstSent, lastAck),
            PerSecond(measuredDelivered, firstSent, lastDelivered),
            new Latencies(ack),
            new Latencies(delivery),
            new Latencies(_lag.Skip((int)step.MeasuredFrom).Take((int)measured)),
            _maxInFlight,
            _dropped,
            new Dictionary<string, int>(_errors),
            cpu,
            SlowSeconds(step));
    }

    /// <summary>The measured seconds with at least one delivery slower than <see cref="ChatTarget.DeliveryMs"/>.</summary>
    private List<SlowSecond> SlowSeconds(ChatStep step)
    {
        var seconds = new SortedDictionary<long, (int Messages, int Late, double MaxMs)>();
        for (var i = step.MeasuredFrom; i < step.To; i++)
        {
            if (_deliveries[i] == 0)
            {
                continue;
            }

            var second = (_sentAt[i] - _originTicks) / Stopwatch.Frequency;
            var ms = (_deliveredAt[i] - _sentAt[i]) * 1000.0 / Stopwatch.Frequency;
            var (messages, late, max) = seconds.GetValueOrDefault(second);
            seconds[second] = (messages + 1, late + (ms >= ChatTarget.DeliveryMs ? 1 : 0), Math.Max(max, ms));
        }

        return seconds.Where(s => s.Value.Late > 0)
            .Select(s => new SlowSecond(_originUtc.AddSeconds(s.Key), s.Value.Messages, s.Value.Late, s.Value.MaxMs))
            .ToList();
    }

    private void Error(string what) => _errors.AddOrUpdate(what.Length > 200 ? what[..200] : what, 1, (_, n) => n + 1);

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
