using System.Net;
using System.Net.WebSockets;
using Lotse.Web.Tests.Infrastructure;

namespace Lotse.Web.Tests.Security;

/// <summary>The hubs accept browser requests only from Lotse's own origin (cross-site WebSocket hijacking).</summary>
public sealed class HubOriginTests() : WebTest(DatabaseKind.Sqlite)
{
    private const string Negotiate = "/hubs/verfuegbarkeit/negotiate?negotiateVersion=1";

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("http://localhost")] // same host, other scheme: another origin
    [InlineData("https://localhost.evil.example")]
    [InlineData("null")]
    public async Task Negotiate_ForeignOrigin_Forbidden(string origin)
    {
        var response = await NegotiateAsync(Browser(), origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("connectionToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://localhost")]
    [InlineData(null)]
    public async Task Negotiate_OwnOriginOrNone_Connects(string? origin)
    {
        var response = await NegotiateAsync(Browser(), origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("connectionToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negotiate_PublicUrlOrigin_Connects()
    {
        // Behind a TLS proxy the app may see another scheme or host than the browser: App:PublicUrl is the address users use.
        var app = App.With(("App:PublicUrl", "https://lotse.example"));

        var response = await NegotiateAsync(app.Browser(), "https://lotse.example");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task WebSocket_ForeignOrigin_RefusedWithoutConnection()
    {
        var client = App.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = "https://evil.example";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            client.ConnectAsync(new Uri("wss://localhost/hubs/verfuegbarkeit"), CancellationToken.None));

        Assert.Contains("403", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_OwnOrigin_Connects()
    {
        var client = App.Server.CreateWebSocketClient();
        client.ConfigureRequest = request => request.Headers.Origin = "https://localhost";

        using var socket = await client.ConnectAsync(new Uri("wss://localhost/hubs/verfuegbarkeit"), CancellationToken.None);

        Assert.Equal(WebSocketState.Open, socket.State);
    }

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient http, string? origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Negotiate);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await http.SendAsync(request);
    }
}
