interface Task {
  id: number;
  priority: number;
}

class PriorityQueue {
  private tasks: Task[] = [];

  add(task: Task): void {
    this.tasks.push(task);
    this.tasks.sort((a, b) => b.priority - a.priority);
  }

  next(): Task | undefined {
    return this.tasks.shift();
  }

  get length(): number {
    return this.tasks.length;
  }
}

const q = new PriorityQueue();
q.add({ id: 1, priority: 2 });
q.add({ id: 2, priority: 5 });
while (q.length > 0) {
  const task = q.next();
  if (task) {
    console.log(task.id);
  }
}
