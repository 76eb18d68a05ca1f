"""Twin data producers: demo simulator, recording replay, SUMO, meter CSVs, NGSI-LD."""
