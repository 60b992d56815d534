"""Course catalogue, schedule answers and past results."""
