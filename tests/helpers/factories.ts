// Kept for the tests other branches add this round: the factories live in world.ts now.
export { makeFactories, PASSWORD, type Factories } from './world.ts';
