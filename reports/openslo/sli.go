package openslo

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/amendsdev/amends/models"
)

// indicatorDoc is an OpenSLO SLI, as a document of its own (kind: SLI)
// or inline in an SLO's spec.indicator.
type indicatorDoc struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		RatioMetric *struct {
			Good  *metric `yaml:"good"`
			Bad   *metric `yaml:"bad"`
			Total *metric `yaml:"total"`
		} `yaml:"ratioMetric"`
	} `yaml:"spec"`
}

type metric struct {
	MetricSource struct {
		Type            string `yaml:"type"`
		MetricSourceRef string `yaml:"metricSourceRef"`
		Spec            struct {
			Query string `yaml:"query"`
		} `yaml:"spec"`
	} `yaml:"metricSource"`
}

// refs are the SLIs and data sources of a file, by name.
type refs struct {
	slis    map[string]indicatorDoc
	sources map[string]string // name → type
}

func readRefs(all []*yaml.Node) refs {
	r := refs{slis: map[string]indicatorDoc{}, sources: map[string]string{}}
	for _, obj := range all {
		var d indicatorDoc
		if obj.Decode(&d) != nil {
			continue
		}
		switch d.Kind {
		case "SLI":
			r.slis[d.Metadata.Name] = d
		case "DataSource":
			var ds struct {
				Spec struct {
					Type string `yaml:"type"`
				} `yaml:"spec"`
			}
			if obj.Decode(&ds) == nil {
				r.sources[d.Metadata.Name] = ds.Spec.Type
			}
		}
	}
	return r
}

// indicatorOf is the SLO's SLI when it is a ratio of Prometheus queries
// (inline, or by indicatorRef to an SLI of the file); anything else
// (a threshold metric, another data source) leaves the SLO without one.
func (r refs) indicatorOf(sp spec) models.SLIInput {
	var d indicatorDoc
	switch {
	case sp.Indicator != nil:
		b, err := yaml.Marshal(sp.Indicator)
		if err != nil || yaml.Unmarshal(b, &d) != nil {
			return models.SLIInput{}
		}
	case sp.IndicatorRef != "":
		d = r.slis[sp.IndicatorRef]
	}
	rm := d.Spec.RatioMetric
	if rm == nil || rm.Total == nil {
		return models.SLIInput{}
	}
	in := models.SLIInput{TotalQuery: r.query(rm.Total)}
	if rm.Good != nil {
		in.GoodQuery = r.query(rm.Good)
	} else if rm.Bad != nil {
		in.BadQuery = r.query(rm.Bad)
	}
	if in.TotalQuery == "" || (in.GoodQuery == "" && in.BadQuery == "") {
		return models.SLIInput{}
	}
	return in
}

// query is a metric's query when its source is Prometheus, named inline
// or by a DataSource of the file.
func (r refs) query(m *metric) string {
	src := m.MetricSource
	kind := src.Type
	if kind == "" {
		kind = r.sources[src.MetricSourceRef]
	}
	if !strings.EqualFold(kind, "Prometheus") {
		return ""
	}
	return strings.TrimSpace(src.Spec.Query)
}
