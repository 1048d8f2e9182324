"""backbalance: find and correct the muscle imbalance behind your back pain, safely."""

# The engine version changes whenever the rules code changes what a case produces.
ENGINE_VERSION = "0.1.0"
