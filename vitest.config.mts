import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Kernel and notebook tests start real processes: give them room, and keep the
    // two cores of the CI machine from being oversubscribed.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    pool: "forks",
  },
});
