package reports

import "github.com/amendsdev/amends/models"

// Budget is what one SLO's error budget looks like after a month's
// incidents. The budget is the SLO's whole window; the month's incidents
// are what this review charges against it.
type Budget struct {
	SLO             string  `json:"slo"`
	DisplayName     string  `json:"display_name"`
	Target          float64 `json:"target"`
	WindowDays      int     `json:"window_days"`
	BudgetMinutes   float64 `json:"budget_minutes"`
	ConsumedMinutes float64 `json:"consumed_minutes"`
	// ConsumedShare is consumed ÷ budget: 1 means the budget is spent.
	ConsumedShare    float64 `json:"consumed_share"`
	RemainingMinutes float64 `json:"remaining_minutes"`
	Exhausted        bool    `json:"exhausted"`
}

// share is bad minutes as a share of the SLO's budget; an SLO without a
// budget (a target of 1) is spent by any bad minute.
func share(badMinutes float64, slo models.SLO) float64 {
	b := slo.BudgetMinutes()
	if b <= 0 {
		if badMinutes > 0 {
			return 1
		}
		return 0
	}
	return badMinutes / b
}

// budgets charges the impacts against each SLO, in SLO order.
func budgets(slos []models.SLO, impacts []models.Impact) []Budget {
	used := map[uint]float64{}
	for _, imp := range impacts {
		used[imp.SLOID] += imp.BadMinutes
	}
	out := make([]Budget, 0, len(slos))
	for _, s := range slos {
		b := Budget{SLO: s.Name, DisplayName: s.DisplayName, Target: s.Target, WindowDays: s.WindowDays,
			BudgetMinutes: s.BudgetMinutes(), ConsumedMinutes: used[s.ID]}
		b.ConsumedShare = share(b.ConsumedMinutes, s)
		b.RemainingMinutes = b.BudgetMinutes - b.ConsumedMinutes
		b.Exhausted = b.RemainingMinutes < 0 || (b.ConsumedShare >= 1 && b.ConsumedMinutes > 0)
		out = append(out, b)
	}
	return out
}

// worstShare is the largest share any SLO spent, the one number a trend
// shows per month.
func worstShare(bs []Budget) float64 {
	w := 0.0
	for _, b := range bs {
		if b.ConsumedShare > w {
			w = b.ConsumedShare
		}
	}
	return w
}
