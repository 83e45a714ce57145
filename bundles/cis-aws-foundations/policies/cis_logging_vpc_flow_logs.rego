# METADATA
# title: VPC flow logging is enabled in every VPC
# description: >-
#   Every VPC must have at least one active flow log capturing rejected traffic (traffic type
#   REJECT or ALL by default).
# scope: package
# custom:
#   id: cis-logging-vpc-flow-logs
#   version: 1.0.0
#   severity: medium
#   benchmark: CIS
#   target_kinds:
#     - vpc
#   frameworks:
#     cis_aws_v3: "3.7"
#     cis_aws_v1_5: "3.9"
#     aws_fsbp: EC2.6
#   inputs:
#     type: object
#     properties:
#       traffic_types:
#         type: array
#         items:
#           type: string
#           enum:
#             - ACCEPT
#             - REJECT
#             - ALL
#         minItems: 1
#         default:
#           - REJECT
#           - ALL
#     additionalProperties: false
#   rationale: >-
#     Flow logs show which connections were attempted and refused, which detection of scanning
#     and of data exfiltration relies on.
#   remediation_guidance: >-
#     Call ec2:CreateFlowLogs for the VPC with TrafficType REJECT (or ALL) and an S3 or CloudWatch
#     Logs destination. Rollback calls ec2:DeleteFlowLogs with the created id.
package seg.controls.cis_logging_vpc_flow_logs

_kind := "vpc"

_config := c if {
	c := input.config
} else := null

_asset_kind := k if {
	k := input.asset.kind
} else := null

# Value at key, or null when the key or its parent is absent (keeps negated checks defined).
_at(x, key) := v if {
	v := x[key]
} else := null

_params := p if {
	p := input.params
	is_object(p)
} else := {}

_flow_logs := _at(_config, "flow_logs")

_types := object.get(_params, "traffic_types", ["REJECT", "ALL"])

_active contains i if {
	some i, fl in _flow_logs
	fl.status == "ACTIVE"
	fl.traffic_type in _types
}

default result := {
	"result": "error",
	"message": "input is malformed: the control could not evaluate it",
	"evidence": [],
}

result := {
	"result": "not_applicable",
	"message": concat("", ["control applies to ", _kind, " assets, not ", input.asset.kind]),
	"evidence": [],
} if {
	is_string(input.asset.kind)
	input.asset.kind != _kind
} else := {
	"result": "error",
	"message": concat("; ", sort(_errors)),
	"evidence": [],
} if {
	count(_errors) > 0
} else := {
	"result": "pass",
	"message": concat("", [
		"flow log(s) ", concat(", ", sort([_flow_logs[i].flow_log_id | some i in _active])),
		" capture ", concat("/", _types), " traffic of ", input.config.vpc_id,
	]),
	"evidence": [{"path": concat("", ["/flow_logs/", format_int(i, 10)]), "media_type": "application/json"} | some i in sort(_active)],
} if {
	count(_active) > 0
} else := {
	"result": "fail",
	"message": concat("", ["vpc ", input.config.vpc_id, " has no active flow log capturing ", concat("/", _types), " traffic"]),
	"evidence": [{"path": "/flow_logs", "media_type": "application/json"}],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.vpc_id must be a string" if not is_string(_at(_config, "vpc_id"))

_errors contains "config.flow_logs must be an array" if not is_array(_flow_logs)

_errors contains "config.flow_logs[] need flow_log_id, status and traffic_type strings" if {
	some fl in _flow_logs
	not _flow_log_ok(fl)
}

_errors contains "params.traffic_types must be an array of strings" if not _string_array(_types)

_flow_log_ok(fl) if {
	is_string(fl.flow_log_id)
	is_string(fl.status)
	is_string(fl.traffic_type)
}

_string_array(xs) if {
	is_array(xs)
	every x in xs {
		is_string(x)
	}
}
