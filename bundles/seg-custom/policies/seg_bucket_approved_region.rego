# METADATA
# title: Buckets live only in regions approved for the tenant's data
# description: >-
#   A bucket must sit in a region the organisation approved for its provider (lookup table
#   data/approved_regions.json); a region being sunset yields a warning.
# scope: package
# custom:
#   id: seg-bucket-approved-region
#   severity: medium
#   target_kinds: [bucket]
package seg.controls.seg_bucket_approved_region

default result := {"result": "error", "message": "config.region is missing or not a string", "evidence": []}

_regions := object.get(data.seg.approved_regions, input.asset.provider, {"approved": [], "sunset": []})

_evidence := [{"path": "/region", "media_type": "application/json"}]

result := {"result": "not_applicable", "message": concat("", ["control applies to bucket assets, not ", input.asset.kind]), "evidence": []} if {
	input.asset.kind != "bucket"
} else := {"result": "pass", "message": concat("", ["region ", input.config.region, " is approved"]), "evidence": _evidence} if {
	is_string(input.config.region)
	input.config.region in _regions.approved
} else := {"result": "warn", "message": concat("", ["region ", input.config.region, " is being sunset"]), "evidence": _evidence} if {
	is_string(input.config.region)
	input.config.region in _regions.sunset
} else := {"result": "fail", "message": concat("", ["region ", input.config.region, " is not approved"]), "evidence": _evidence} if {
	is_string(input.config.region)
}
