using System.Security.Cryptography;
using Lotse.Web.Data;
using Lotse.Web.Features.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using AppTotp = Lotse.Web.Features.Security.Totp;

namespace Lotse.Web.Tests.Infrastructure;

/// <summary>
/// The authenticator app of the tests: codes computed with Otp.NET (an RFC 6238 implementation independent of the
/// app's) from the key the app stores for a user.
/// </summary>
public static class TotpCodes
{
    /// <summary>Where Identity's store keeps the authenticator key (UserStoreBase: login provider "[AspNetUserStore]").</summary>
    public const string KeyProvider = "[AspNetUserStore]";
    public const string KeyName = "AuthenticatorKey";

    /// <summary>Gives the user a key of their own and switches the second factor on, as a finished enrolment does.</summary>
    public static async Task EnrolAsync(IServiceProvider services, IdentityUser user)
    {
        ArgumentNullException.ThrowIfNull(services);
        var users = services.GetRequiredService<UserManager<IdentityUser>>();
        var key = Base32Encoding.ToString(RandomNumberGenerator.GetBytes(20));
        Assert.True((await users.SetAuthenticationTokenAsync(user, KeyProvider, KeyName, key)).Succeeded);
        Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
    }

    /// <summary>The code of <paramref name="base32Key"/> for one time step.</summary>
    public static string CodeAt(string base32Key, long step)
    {
        ArgumentNullException.ThrowIfNull(base32Key);
        var key = Base32Encoding.ToBytes(base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        return new OtpNet.Totp(key, AppTotp.StepSeconds).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(step * AppTotp.StepSeconds).UtcDateTime);
    }

    /// <summary>
    /// A code the app accepts now for <paramref name="userName"/> and has not accepted before: the earliest time step in the
    /// app's window after the last one it accepted. When the window is used up (the same person signed in three times
    /// at one instant of the fake clock), the clock moves on by whole steps, as time would between sign-ins.
    /// </summary>
    public static async Task<string> NextAsync(IServiceProvider services, string userName)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"No user {userName}.");
        var key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException($"{userName} has no authenticator key.");
        var db = scope.ServiceProvider.GetRequiredService<LotseDb>();
        var last = await db.AccountSecurity.AsNoTracking().Where(a => a.UserId == user.Id).Select(a => a.LastTotpStep).SingleOrDefaultAsync();
        var clock = services.GetRequiredService<TimeProvider>();
        var now = AppTotp.StepAt(clock.GetUtcNow());
        var step = Math.Max(now - AppTotp.StepsBehind, (last ?? long.MinValue + 1) + 1);
        if (step > now + AppTotp.StepsAhead)
        {
            var fake = clock as FakeTimeProvider ?? throw new InvalidOperationException("Only a fake clock can be moved to the next code.");
            fake.Advance(TimeSpan.FromSeconds(AppTotp.StepSeconds * (step - now - AppTotp.StepsAhead)));
        }

        return CodeAt(key, step);
    }
}
