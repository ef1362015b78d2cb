import { Injectable, OnModuleInit } from '@nestjs/common';

/**
 * Work to do once Nest has registered the controllers' routes and before its 404 handler: Nest calls
 * onModuleInit between the two. Express tries routes in registration order, so what is added here (the
 * API docs) no longer stands before the service's own routes on every request.
 */
@Injectable()
export class AfterRoutes implements OnModuleInit {
  private readonly tasks: Array<() => void> = [];

  add(task: () => void): void {
    this.tasks.push(task);
  }

  onModuleInit(): void {
    for (const task of this.tasks.splice(0)) task();
  }
}
