namespace Lotse.Web.Features.Appointments;

public static class AppointmentsSetup
{
    public static void AddAppointments(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<BookingOptions>(builder.Configuration.GetSection("Booking"));
        builder.Services.AddScoped<BookAppointment>();
        builder.Services.AddScoped<ManageAppointment>();
        builder.Services.AddScoped<Notifications.NotificationOutbox>();
    }
}
