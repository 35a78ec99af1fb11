// The engine probe's one activity: returns at once, so what a hop costs is Temporal's and the SDK's.
export const hopActivities = {
  async noop(): Promise<number> {
    return 1;
  },
};

export type HopActivities = typeof hopActivities;
