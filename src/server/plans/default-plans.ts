// The plans a new host starts with; the host admin edits them later.
export const defaultPlans = [
  { slug: "small", name: "Small", memoryMb: 2048, cpuMillis: 1000, diskGb: 20, monthlyCost: 1500, sortOrder: 1 },
  { slug: "medium", name: "Medium", memoryMb: 4096, cpuMillis: 2000, diskGb: 60, monthlyCost: 3500, sortOrder: 2 },
  { slug: "large", name: "Large", memoryMb: 8192, cpuMillis: 4000, diskGb: 150, monthlyCost: 7500, sortOrder: 3 },
] as const;
