package demo

import "github.com/amendsdev/amends/models"

type customerSeed struct {
	in   models.CustomerInput
	slos []models.SLOInput
}

var customers = []customerSeed{
	{
		in: models.CustomerInput{Name: "Northwind Logistics", Slug: "northwind", TimeZone: "Europe/Berlin",
			Contacts: []string{"ops@northwind.example", "cto@northwind.example"}},
		slos: []models.SLOInput{
			{Name: "api-availability", DisplayName: "Shipment API availability", Target: 0.999, WindowDays: 28,
				Description: "Share of shipment API requests answered without a 5xx."},
			{Name: "tracking-latency", DisplayName: "Tracking page latency", Target: 0.99, WindowDays: 28,
				Description: "Share of tracking lookups answered within 400 ms."},
		},
	},
	{
		in: models.CustomerInput{Name: "Globex Retail", Slug: "globex", TimeZone: "America/New_York",
			Contacts: []string{"sre@globex.example"}},
		slos: []models.SLOInput{
			{Name: "checkout-availability", DisplayName: "Checkout availability", Target: 0.9995, WindowDays: 30,
				Description: "Share of checkout calls that succeed."},
		},
	},
	{
		in: models.CustomerInput{Name: "Initech Payments", Slug: "initech", TimeZone: "Asia/Singapore",
			Contacts: []string{"reliability@initech.example"}},
		slos: []models.SLOInput{
			{Name: "ledger-writes", DisplayName: "Ledger write success", Target: 0.9999, WindowDays: 30,
				Description: "Share of ledger writes acknowledged within 1 s."},
			{Name: "webhook-delivery", DisplayName: "Webhook delivery", Target: 0.995, WindowDays: 7,
				Description: "Share of payment webhooks delivered within 60 s."},
		},
	},
}
