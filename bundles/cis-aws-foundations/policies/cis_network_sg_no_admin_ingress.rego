# METADATA
# title: No security group allows ingress from the internet to remote administration ports
# description: >-
#   No ingress rule may allow 0.0.0.0/0 (and, when include_ipv6 is set, ::/0) to a remote
#   administration port (data.seg.network.admin_ports, 22 and 3389) over TCP or all protocols.
# scope: package
# custom:
#   id: cis-network-sg-no-admin-ingress
#   version: 1.0.0
#   severity: high
#   benchmark: CIS
#   target_kinds:
#     - security-group
#   frameworks:
#     cis_aws_v3: "5.2"
#     aws_fsbp: EC2.53
#   inputs:
#     type: object
#     properties:
#       include_ipv6:
#         type: boolean
#         default: false
#     additionalProperties: false
#   rationale: >-
#     SSH and RDP open to the internet are scanned and brute-forced continuously; administration
#     should come from known ranges, a bastion or a session manager.
#   remediation_guidance: >-
#     Revoke the offending rule with ec2:RevokeSecurityGroupIngress and, if access is still
#     needed, authorize the port from a specific range instead (needs approval: it can cut
#     access). Rollback authorizes the captured rule again, description included.
package seg.controls.cis_network_sg_no_admin_ingress

_kind := "security-group"

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

_ingress := _at(_config, "ingress")

_include_ipv6 := object.get(_params, "include_ipv6", false)

_open_cidrs contains c if some c in data.seg.network.open_ipv4_cidrs

_open_cidrs contains c if {
	_include_ipv6 == true
	some c in data.seg.network.open_ipv6_cidrs
}

_covers(rule, _) if rule.protocol == "-1"

_covers(rule, _) if {
	rule.protocol in data.seg.network.admin_protocols
	rule.from_port == null
}

_covers(rule, port) if {
	rule.protocol in data.seg.network.admin_protocols
	rule.from_port <= port
	port <= rule.to_port
}

_exposures contains [i, port, cidr] if {
	some i, rule in _ingress
	some port in data.seg.network.admin_ports
	_covers(rule, port)
	some cidr in array.concat(rule.ipv4_ranges, rule.ipv6_ranges)
	cidr in _open_cidrs
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
	"message": concat("", ["security group ", input.config.group_id, " allows no administration port from ", concat(", ", sort(_open_cidrs))]),
	"evidence": [{"path": "/ingress", "media_type": "application/json"}],
} if {
	count(_exposures) == 0
} else := {
	"result": "fail",
	"message": concat("; ", [concat("", ["ingress rule ", format_int(e[0], 10), " allows port ", format_int(e[1], 10), " from ", e[2]]) | some e in sort(_exposures)]),
	"evidence": [{"path": concat("", ["/ingress/", format_int(i, 10)]), "media_type": "application/json"} | some i in sort({e[0] | some e in _exposures})],
}

_errors contains "input is malformed: asset.kind must be a string" if not is_string(_asset_kind)

_errors contains "input is malformed: config must be an object" if not is_object(_config)

_errors contains "config.group_id must be a string" if not is_string(_at(_config, "group_id"))

_errors contains "config.ingress must be an array" if not is_array(_ingress)

_errors contains "config.ingress[] need protocol, from_port, to_port, ipv4_ranges and ipv6_ranges" if {
	some rule in _ingress
	not _rule_ok(rule)
}

_errors contains "params.include_ipv6 must be a boolean" if not is_boolean(_include_ipv6)

_rule_ok(rule) if {
	is_string(rule.protocol)
	_port_ok(_at(rule, "from_port"))
	_port_ok(_at(rule, "to_port"))
	is_array(rule.ipv4_ranges)
	is_array(rule.ipv6_ranges)
}

_port_ok(p) if is_number(p)

_port_ok(p) if {
	p == null
}
