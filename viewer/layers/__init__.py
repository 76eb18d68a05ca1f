"""Pure layers: twin state -> visual attributes (colour ramps, legends, vehicle instances)."""
